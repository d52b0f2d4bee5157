import Foundation
import Testing
@testable import InferplanKit

/// Clusters: hierarchical collectives, node groups, the load generator, scaling.
@Suite struct ClusterTests {
    @Test func hierarchicalAllReduceByHand() {
        let nvlink = ScaleUpLink(name: "nvlink", topology: .switched, bytesPerSecondPerDirection: 450e9,
                                 linkBytesPerSecondPerDirection: 450e9, domainGPUs: 8, latency: 2e-6)
        let rdma = ScaleOutNetwork(name: "rdma", bytesPerSecondPerGPU: 50e9, latency: 5e-6)
        // 16 GPUs on 2 nodes of 8, 8 MB: inside 2 x (7/8 x 8e6 / 450e9 + 7 x 2 us); across the 2 nodes a
        // ring all-reduce of 1 MB per GPU: 2 x 1/2 x 1e6 / 50e9 + 2 x 1 x 5 us.
        let inside = 2 * (7.0 / 8 * 8e6 / 450e9 + 7 * 2e-6)
        let across = 1e6 / 50e9 + 10e-6
        let time = Collectives.allReduceTime(bytes: 8e6, gpus: 16, gpusPerNode: 8, scaleUp: nvlink, scaleOut: rdma)
        #expect(abs(time - (inside + across)) < 1e-15)
        // Inside one node it is the flat ring.
        #expect(Collectives.allReduceTime(bytes: 8e6, gpus: 8, gpusPerNode: 8, scaleUp: nvlink, scaleOut: rdma)
                == Collectives.allReduceTime(bytes: 8e6, gpus: 8, link: nvlink))
    }

    @Test func tensorParallelAcrossNodesIsSlowerThanWithin() throws {
        let model = try Fixtures.model("llama2-70b")
        let gpu = try Fixtures.gpu("h100-sxm")
        let precision = Precision(weights: .fp8, kvCache: .fp8)
        let within = StepTimeModel(model: model, gpu: gpu, precision: precision, tensorParallel: 8, gpusPerNode: 8)
        let across = StepTimeModel(model: model, gpu: gpu, precision: precision, tensorParallel: 8, gpusPerNode: 4)
        let work = StepWork(decodeSequences: 256, decodeContextTokens: 256 * 500, sampledTokens: 256)
        #expect(across.time(for: work) > within.time(for: work))
        let reduceWithin = within.operatorCosts(for: work).first { $0.name == "tp_all_reduce" }!.seconds
        let reduceAcross = across.operatorCosts(for: work).first { $0.name == "tp_all_reduce" }!.seconds
        // 160 all-reduces of 256 x 8192 x 2 B = 4,194,304 B. Within one node: the faster of a ring of 8
        // over 450 GB/s, 2 x 7/8 x B / 450e9 + 14 x 2 us, and a tree, 2 x B / 450e9 + 2 x 3 x 2 us. Across two nodes of 4: 2 x (3/4 x B / 450e9 + 3 x 2 us) inside,
        // plus a ring of 2 over 50 GB/s NICs for the 1/4 share: B/4 / 50e9 + 2 x 5 us.
        let b = 4_194_304.0
        let ring = min(2 * 7.0 / 8 * b / 450e9 + 14 * 2e-6, 2 * b / 450e9 + 6 * 2e-6)
        let twoLevel = 2 * (3.0 / 4 * b / 450e9 + 3 * 2e-6) + (b / 4) / 50e9 + 2 * 5e-6
        #expect(abs(reduceWithin - 160 * ring) < 1e-12 && abs(reduceAcross - 160 * twoLevel) < 1e-12)
        #expect(reduceAcross > reduceWithin)
    }

    @Test func twoNodesOfSingleGPUReplicasScaleAtAHundredPercent() throws {
        let path = Fixtures.packageRoot.appendingPathComponent("Scenarios/default.yaml").path
        let study = try ScalingStudy(path: path, overrides: [Override(parsing: "hardware.gpus_per_node=1"), Override(parsing: "workload.samples=1500")],
                                     nodeCounts: [1, 2])
        #expect(study.points.map(\.gpus) == [1, 2])
        #expect(abs(study.points[1].efficiency - 1) < 0.03, "efficiency \(study.points[1].efficiency)")
    }

    /// Issue 14: node counts run in parallel, and the study is the same whatever the threads: the
    /// points in the order asked, with the same figures, on one thread and on three.
    @Test func aStudyIsTheSameOnOneThreadAndOnThree() throws {
        let path = Fixtures.packageRoot.appendingPathComponent("Scenarios/default.yaml").path
        let overrides = [try Override(parsing: "hardware.gpus_per_node=1"), try Override(parsing: "workload.samples=600")]
        let one = try ScalingStudy(path: path, overrides: overrides, nodeCounts: [3, 1, 2], jobs: 1)
        let calls = ProgressCount()
        let three = try ScalingStudy(path: path, overrides: overrides, nodeCounts: [3, 1, 2], jobs: 3) { done, total in
            calls.add(done: done, total: total)
        }
        #expect(one.points.map(\.nodes) == [3, 1, 2] && three.points.map(\.nodes) == [3, 1, 2])
        #expect(one.points.map(\.outputTokensPerS) == three.points.map(\.outputTokensPerS))
        #expect(one.points.map(\.efficiency) == three.points.map(\.efficiency))
        #expect(calls.values.sorted() == [1, 2, 3] && calls.totals == [3])
    }

    @Test func aSlowLoadGeneratorLimitsScaling() throws {
        let path = Fixtures.packageRoot.appendingPathComponent("Scenarios/default.yaml").path
        let study = try ScalingStudy(path: path, overrides: [
            Override(parsing: "hardware.gpus_per_node=1"), Override(parsing: "workload.samples=1500"),
            Override(parsing: "serving.load_generator={dispatch_qps: 10, latency_ms: 1}"),
        ], nodeCounts: [1, 4])
        // One GPU completes ~14 queries/s: a 10/s dispatcher starves even one; four can never get
        // more than 10/s between them.
        #expect(study.points[1].efficiency < 0.3)
    }

    @Test func loadGeneratorSendsOneRequestAtATime() {
        var serving = Fixtures.deployment().serving
        serving.loadGenerator = .init(dispatchQueriesPerSecond: 100, latency: 0.002)
        let deployment = Deployment(model: Fixtures.tinyModel, gpu: Fixtures.roundGPU, precision: .init(weights: .bf16, kvCache: .bf16),
                                    tensorParallel: 1, gpusPerNode: 1, nodes: 1, serving: serving)
        var workload = Workload(benchmark: "t", scenario: .offline, input: .init(.fixed(10)), output: .init(.fixed(1)),
                                samples: 5, qps: 0, duration: 0, seed: 1, limits: nil)
        workload.trace = (0..<5).map { _ in Request(arrival: 0, inputTokens: 10, outputTokens: 1) }
        let result = Simulation(deployment: deployment, workload: workload).run()
        // All issued at 0; the k-th leaves at k/100 s and arrives 2 ms later; its single step follows.
        let step = deployment.stepModel
        var prefill = StepWork()
        prefill.addPrefillChunk(10, afterPrefix: 0, completesPrompt: true)
        for k in 0..<5 {
            #expect(abs(result.log.firstToken[k] - (Double(k) / 100 + 0.002 + step.time(for: prefill))) < 1e-12)
        }
    }

    @Test func fasterGroupsGetMoreWork() throws {
        let scenario = try Fixtures.scenario(Fixtures.defaultScenarioYAML.replacingOccurrences(
            of: "hardware: {gpu: h200-sxm, gpus_per_node: 8, nodes: 1}",
            with: "hardware: {gpus_per_node: 2, node_groups: [{gpu: h100-sxm, nodes: 1}, {gpu: b200, nodes: 1}]}"))
        let deployment = try scenario.deployment()
        #expect(deployment.groups.map(\.gpu.id) == ["h100-sxm", "b200"] && deployment.gpus == 4)
        let replicas = deployment.makeReplicas(seed: 1)
        #expect(replicas.map(\.group) == [0, 0, 1, 1] && replicas.map(\.node) == [0, 0, 1, 1])
        #expect(replicas[0].weight < replicas[2].weight && replicas[2].weight == 1)
        let metrics = try ScenarioRun.run(scenario).metrics
        #expect(metrics.outputTokensPerSecondByGroup.count == 2)
        #expect(metrics.outputTokensPerSecondByGroup[1] > 1.5 * metrics.outputTokensPerSecondByGroup[0])
    }

    @Test func unevenAndMixedClusterRows() throws {
        let header = "round,benchmark,scenario,submitter_system,accelerator,gpus,nodes,tokens_per_s,weights,kv_cache,tensor_parallel,output_tokens_per_sample,ttft_p99_ms,tpot_p99_ms\n"
        let table = try CSVTable(text: header + "v6.0,llama2-70b,offline,s,mi300x,87,11,1,fp8,fp8,1,,,\nv6.0,llama2-70b,offline,s,mi300x+mi325x+mi355x,24,3,1,fp8,fp8,1,,,\n", file: "t.csv")
        let uneven = try Validator.nodeGroups(of: PublishedResult(row: table.rows[0], file: "t.csv"))
        #expect(uneven.map(\.gpusPerNode) == [8, 7] && uneven.map(\.nodes) == [10, 1])
        let mixed = try Validator.nodeGroups(of: PublishedResult(row: table.rows[1], file: "t.csv"))
        #expect(mixed.map(\.gpu) == ["mi300x", "mi325x", "mi355x"] && mixed.allSatisfy { $0.gpusPerNode == 8 && $0.nodes == 1 })
    }

    @Test func tensorParallelSpansWholeNodesOnly() throws {
        // 16 across the one node there is: refused; across two nodes of 8: one replica on nodes 0-1.
        #expect(throws: InputError.self) {
            try Fixtures.scenario(Fixtures.defaultScenarioYAML, overrides: [Override(parsing: "parallelism.tensor=16")]).deployment()
        }
        let spanning = try Fixtures.scenario(Fixtures.defaultScenarioYAML, overrides: [
            Override(parsing: "parallelism.tensor=16"), Override(parsing: "hardware.nodes=4"),
        ]).deployment()
        #expect(spanning.replicas == 2 && spanning.makeReplicas(seed: 1).map(\.node) == [0, 2])
    }
}

@Suite struct ParallelismTests {
    @Test func expertParallelRefusesADenseModel() throws {
        do {
            _ = try Fixtures.scenario(Fixtures.defaultScenarioYAML, overrides: [Override(parsing: "parallelism.expert=2")])
            Issue.record("expected an error")
        } catch let error as InputError {
            #expect(error.keyPath == "parallelism.expert" && error.problem.contains("llama2-70b is dense"))
        }
    }

    @Test func busiestExpertGPUClosedForm() {
        // 800 pairs over 8 GPUs: mean 100, sd sqrt(100 x 7/8) = 9.354, x sqrt(2 ln 8) = 2.0393 -> 119.08.
        let expected = 100 + (100 * 7.0 / 8).squareRoot() * (2 * log(8.0)).squareRoot()
        #expect(abs(ExpertLoad.busiest(pairs: 800, gpus: 8) - expected) < 1e-9)
        #expect(abs(expected - 119.08) < 0.01)
        #expect(ExpertLoad.busiest(pairs: 800, gpus: 1) == 800)
    }

    @Test func allToAllByHand() {
        let nvlink = ScaleUpLink(name: "nvlink", topology: .switched, bytesPerSecondPerDirection: 450e9,
                                 linkBytesPerSecondPerDirection: 450e9, domainGPUs: 8, latency: 2e-6)
        let mesh = ScaleUpLink(name: "xgmi", topology: .mesh, bytesPerSecondPerDirection: 448e9,
                               linkBytesPerSecondPerDirection: 64e9, domainGPUs: 8, latency: 2e-6)
        let rdma = ScaleOutNetwork.rdma400
        #expect(abs(Collectives.allToAllTime(bytesPerGPU: 9e6, gpus: 8, gpusPerNode: 8, scaleUp: nvlink, scaleOut: rdma) - (9e6 / 450e9 + 2e-6)) < 1e-15)
        // A mesh spreads the 9 MB over 7 links of 64 GB/s.
        #expect(abs(Collectives.allToAllTime(bytesPerGPU: 9e6, gpus: 8, gpusPerNode: 8, scaleUp: mesh, scaleOut: rdma) - (9e6 / 7 / 64e9 + 2e-6)) < 1e-15)
        // 16 GPUs on 2 nodes: 8 of 15 peers are remote, over the 50 GB/s NIC.
        let remote = 9e6 * 8 / 15 / 50e9 + 5e-6
        #expect(abs(Collectives.allToAllTime(bytesPerGPU: 9e6, gpus: 16, gpusPerNode: 8, scaleUp: nvlink, scaleOut: rdma) - remote) < 1e-15)
    }

    @Test func pipelineSplitsMemoryAndAddsHandoffs() throws {
        let model = try Fixtures.model("llama2-70b")
        let gpu = try Fixtures.gpu("h100-sxm")
        let precision = Precision(weights: .fp8, kvCache: .fp8)
        let one = MemoryBudget(model: model, gpu: gpu, precision: precision, tensorParallel: 1)
        let two = MemoryBudget(model: model, gpu: gpu, precision: precision, tensorParallel: 1, pipelineParallel: 2)
        #expect(abs(two.weightBytesPerGPU - one.weightBytesPerGPU / 2) < 1)
        #expect(two.kvBytesPerTokenPerGPU == one.kvBytesPerTokenPerGPU / 2)
        let flat = StepTimeModel(model: model, gpu: gpu, precision: precision, tensorParallel: 1, gpusPerNode: 8)
        let piped = StepTimeModel(model: model, gpu: gpu, precision: precision, tensorParallel: 1, gpusPerNode: 8,
                                  parallelism: Parallelism(tensor: 1, pipeline: 2))
        let work = StepWork(decodeSequences: 100, decodeContextTokens: 100 * 500, sampledTokens: 100)
        // One hand-off of 100 x 8192 x 2 B over NVLink (450 GB/s) plus 2 us; the layers' work is the same.
        let handoff = 100 * 8192 * 2 / 450e9 + 2e-6
        #expect(abs(piped.time(for: work) - flat.time(for: work) - handoff) < 1e-12)
    }

    @Test func pipelinedReplicasRunOneVirtualEnginePerStage() throws {
        let scenario = try Fixtures.scenario(Fixtures.defaultScenarioYAML, overrides: [Override(parsing: "parallelism={tensor: 2, pipeline: 2}")])
        let deployment = try scenario.deployment()
        #expect(deployment.replicas == 2 && deployment.engines == 4)
        let engines = deployment.makeReplicas(seed: 1)
        #expect(engines.count == 4 && engines.allSatisfy { $0.state.kvCapacityTokens == deployment.memory.kvCapacityTokens / 2 })
    }
}

@Suite struct SlidingWindowKVTests {
    @Test func gptOssSequencesHoldTheirWindowBlocks() throws {
        let scenario = try Fixtures.scenario(Fixtures.defaultScenarioYAML.replacingOccurrences(of: "model: llama2-70b", with: "model: gpt-oss-120b")
            .replacingOccurrences(of: "weights: fp8", with: "weights: mxfp4").replacingOccurrences(of: "mlperf-llama2-70b", with: "mlperf-gpt-oss-120b")
            .replacingOccurrences(of: "samples: 2000", with: "samples: 300").replacingOccurrences(of: "scheduler: continuous", with: "scheduler: chunked-prefill"))
        let deployment = try scenario.deployment()
        let engines = deployment.makeReplicas(seed: 1)
        // 18 sliding layers x 128 tokens / 18 full layers = 128 token equivalents = 8 blocks of 16.
        #expect(engines[0].state.windowBlocks == 8)
        let result = Simulation(deployment: deployment, workload: scenario.workload).run()
        #expect(result.log.completed == 300)
        #expect(result.replicaStats.allSatisfy { $0.peakKVBlocks <= $0.capacityBlocks && $0.unfinished == 0 })
        #expect(try Fixtures.scenario(Fixtures.defaultScenarioYAML).deployment().makeReplicas(seed: 1)[0].state.windowBlocks == 0)
    }
}

/// Latent bugs the seams hid (issue 11).
@Suite struct SeamBugTests {
    @Test func kvHandOffAcrossNodesUsesTheGroupsOwnNetwork() throws {
        // 40 Gb/s per node shared by 8 GPUs: 40e9 / 8 / 8 = 625 MB/s per GPU, 20 us latency. Before,
        // hand-offs were priced at the 400G RDMA default whatever the scenario said.
        let scenario = try Fixtures.scenario(Fixtures.defaultScenarioYAML, overrides: [
            Override(parsing: "hardware.nodes=2"), Override(parsing: "hardware.scale_out.gbps_per_node=40"),
            Override(parsing: "hardware.scale_out.latency_us=20"), Override(parsing: "serving.scheduler=disaggregated")])
        let deployment = try scenario.deployment()
        let transfer = deployment.kvTransfer(from: 0, to: 0)
        let bytes = 1000 * deployment.memory.kvBytesPerTokenPerGPU
        #expect(abs(transfer.seconds(tokens: 1000, sameNode: false) - (bytes / 625e6 + 20e-6)) < 1e-12)
        #expect(transfer.seconds(tokens: 1000, sameNode: true) < transfer.seconds(tokens: 1000, sameNode: false) / 100)
    }
}

extension SeamBugTests {
    static let big = """
    model: llama3.1-405b
    hardware: {gpu: h200-sxm, gpus_per_node: 1, nodes: 1}
    precision: {weights: fp8, kv_cache: fp8}
    parallelism: {tensor: 1}
    serving: {scheduler: chunked-prefill, max_batch_seqs: 64, max_batch_tokens: 8192}
    workload: {benchmark: mlperf-llama3.1-405b, scenario: offline, samples: 100, seed: 1}
    """

    func advice(_ yaml: String, _ overrides: [String] = []) throws -> String {
        do {
            _ = try Fixtures.scenario(yaml, overrides: overrides.map { try Override(parsing: $0) }).deployment()
        } catch let error as InputError {
            return error.valid
        }
        Issue.record("expected the model not to fit")
        return ""
    }

    @Test func adviceOnlyProposesWhatFits() throws {
        // 405B at FP8 is 406 GB; in MXFP4 still 216 GB, above one H200's 141 GB: no format is proposed.
        #expect(try advice(Self.big) == "a GPU with more HBM")
        // On a node of 8 it fits at tensor parallelism 4 (101.5 GB per GPU + 6 GB reserve + KV).
        #expect(try advice(Self.big, ["hardware.gpus_per_node=8"]) == "parallelism.tensor: 4, or a GPU with more HBM")
    }

    @Test func adviceCountsPipelineStages() throws {
        // BF16 405B (812 GB) over pipeline 2: 406 GB per GPU. Tensor 4 x pipeline 2 fills the node of 8:
        // 101.5 GB per GPU fits; tensor 8 would need 16 GPUs and is never proposed. At tensor 1 x
        // pipeline 2, FP8 needs 203 GB per GPU (too much) and NVFP4 114 GB (fits): the widest format
        // that fits is proposed.
        #expect(try advice(Self.big, ["hardware.gpus_per_node=8", "precision.weights=bf16", "parallelism.pipeline=2"])
                == "parallelism.tensor: 4, or precision.weights: nvfp4, or a GPU with more HBM")
    }
}

extension SeamBugTests {
    /// A scenario asking for data-parallel attention at tensor 1 is advised a width at which its
    /// attention is data-parallel too: DeepSeek-R1 FP8 on B200 with `attention: data` needs 176.8 GB
    /// of weights per GPU at tensor 4 (the whole attention on every GPU), above 180 - 6 GB, so the
    /// advice is tensor 8 (the advice used to size tensor 4 with the attention split by head).
    @Test func adviceKeepsTheScenariosAttentionLayout() throws {
        let yaml = """
        model: deepseek-r1
        hardware: {gpu: b200, gpus_per_node: 8, nodes: 1}
        precision: {weights: fp8, kv_cache: fp8}
        parallelism: {tensor: 1, attention: data}
        serving: {scheduler: chunked-prefill, max_batch_seqs: 64, max_batch_tokens: 8192}
        workload: {benchmark: mlperf-deepseek-r1, scenario: offline, samples: 100, seed: 1}
        """
        #expect(try advice(yaml) == "parallelism.tensor: 8, or a GPU with more HBM")
        #expect(try advice(yaml, ["parallelism.tensor=4"]).hasPrefix("parallelism.tensor: 8"))
        #expect(throws: Never.self) { try Fixtures.scenario(yaml, overrides: [Override(parsing: "parallelism.tensor=8")]).deployment() }
    }
}

extension SeamBugTests {
    /// The fuzzing finding of issue 13: pipeline 4 on a node of 8 leaves 2 replicas per node, and
    /// 2 prefill replicas left no decode replica (the router then divided by zero). The check
    /// counts replicas as the deployment does (gpus per node / (tensor x pipeline)).
    @Test func disaggregationWithPipeliningNeedsADecodeReplica() throws {
        if let error = #expect(throws: InputError.self, performing: {
            _ = try Fixtures.scenario(Fixtures.defaultScenarioYAML, overrides: [
                Override(parsing: "parallelism.pipeline=4"), Override(parsing: "serving.scheduler=disaggregated"),
                Override(parsing: "serving.prefill_replicas_per_node=2")]).deployment()
        }) {
            #expect(error.keyPath == "serving.prefill_replicas_per_node")
            #expect(error.problem.contains("a node has 2 replicas") && error.valid == "1 to 1")
        }
    }
}


/// Progress calls seen from several threads.
final class ProgressCount: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var values: [Int] = []
    private(set) var totals: Set<Int> = []
    func add(done: Int, total: Int) {
        lock.lock(); defer { lock.unlock() }
        values.append(done)
        totals.insert(total)
    }
}
