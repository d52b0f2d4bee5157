extension Simulation {
    /// The whole flow for one scenario: scenario -> deployment (checked) -> engine -> metrics.
    public static func run(_ scenario: Scenario) throws -> (deployment: Deployment, metrics: RunMetrics) {
        let deployment = try scenario.deployment()
        let result = Simulation(deployment: deployment, workload: scenario.workload).run()
        return (deployment, RunMetrics(result: result))
    }
}
