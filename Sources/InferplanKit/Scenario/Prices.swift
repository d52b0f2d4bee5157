/// What running the cluster costs, as the scenario's `cost:` section gives it: no price ships
/// with inferplan as a fact; a user states theirs.
///
/// ```yaml
/// cost: {gpu_hour_usd: 2.50, power_usd_per_kwh: 0.12, pue: 1.3}   # placeholders: use your own
/// ```
public struct Prices: Sendable, Equatable {
    /// Price of one GPU for an hour (rented, or owned and amortised), US dollars.
    public var gpuHourUSD: Double
    /// Price of electricity, US dollars per kWh (0: included in the GPU-hour price).
    public var powerUSDPerKWh: Double
    /// Power usage effectiveness: facility power over IT power (1: none beyond the GPUs).
    public var pue: Double

    public init(gpuHourUSD: Double, powerUSDPerKWh: Double = 0, pue: Double = 1) {
        self.gpuHourUSD = gpuHourUSD
        self.powerUSDPerKWh = powerUSDPerKWh
        self.pue = pue
    }

    /// Dollars per hour of `gpus` GPUs drawing `watts` in all.
    public func usdPerHour(gpus: Int, watts: Double) -> Double {
        Double(gpus) * gpuHourUSD + watts / 1000 * pue * powerUSDPerKWh
    }
}

extension Scenario {
    /// `cost:`: the prices to turn GPU-hours and energy into dollars.
    static func prices(_ value: YAMLValue?, note: (YAMLValue) -> YAMLValue) throws -> Prices? {
        guard let value else { return nil }
        let map = try note(value).mapping(allowed: ["gpu_hour_usd", "power_usd_per_kwh", "pue"])
        return Prices(
            gpuHourUSD: try note(map.required("gpu_hour_usd", hint: "the price of one GPU for an hour, e.g. 2.50")).double(in: 0...1_000_000, unit: "USD"),
            powerUSDPerKWh: try map.optional("power_usd_per_kwh").map { try note($0).double(in: 0...1000, unit: "USD/kWh") } ?? 0,
            pue: try map.optional("pue").map { try note($0).double(in: 1...10) } ?? 1)
    }
}
