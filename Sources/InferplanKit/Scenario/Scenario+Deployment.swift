import Foundation

extension Scenario {
    /// Checks that the scenario is physically possible and builds the deployment it describes.
    ///
    /// Refuses, with the numbers: tensor parallelism wider than the scale-up domain, weights that do
    /// not fit in HBM, a KV cache that cannot hold even one request of the workload's largest size,
    /// and requests longer than the model's context.
    public func deployment() throws -> Deployment {
        for group in groups where tensorParallel > group.gpu.scaleUp.domainGPUs && tensorParallel % group.gpusPerNode != 0 {
            throw error("parallelism.tensor", "tensor parallelism \(tensorParallel) spans more GPUs than one \(group.gpu.scaleUp.name) domain (\(group.gpu.scaleUp.domainGPUs)) without spanning whole nodes",
                        valid: "at most \(group.gpu.scaleUp.domainGPUs), or a multiple of gpus_per_node (\(group.gpusPerNode)) to run across nodes over the scale-out network")
        }
        // The longest request: a trace's longest row, else the distributions' upper bounds.
        let longest = workload.trace.map { rows in rows.map { $0.inputTokens + $0.outputTokens }.max() ?? 0 }
            ?? workload.input.upperBound + workload.output.upperBound
        if longest > model.maxContext {
            // The lengths, the benchmark that supplied them and the model each have a line (or a
            // `--set`): name every one that was written.
            let keys = workload.trace != nil ? ["workload.trace", "model"]
                : ["workload.input_tokens", "workload.output_tokens", "workload.benchmark", "model"]
            let written = keys.compactMap { key in locations[key].map { "\($0) (\(key))" } }
            let lengths = workload.trace != nil ? "trace rows of up to \(longest) tokens"
                : "requests of up to \(workload.input.upperBound) input + \(workload.output.upperBound) output tokens"
            throw InputError(location: written.isEmpty ? file : written.joined(separator: ", "), keyPath: "",
                             problem: "\(lengths) exceed \(model.id)'s context of \(model.maxContext) tokens",
                             valid: "input_tokens.max + output_tokens.max <= \(model.maxContext), or a model with a longer context")
        }
        let deployment = Deployment(model: model, groups: groups, precision: precision, parallelism: parallelism, serving: serving)
        for group in deployment.groups {
            try check(group: group, longest: longest)
        }
        return deployment
    }

    /// The weights fit in one group's HBM, and its KV cache holds the largest request.
    private func check(group: Deployment.Group, longest: Int) throws {
        let memory = group.memory
        let gpu = group.gpu
        let gpusPerNode = group.gpusPerNode
        if !memory.weightsFit {
            throw error("precision.weights", "\(model.id) does not fit: at \(precision.weights.rawValue) its weights need \(gb(memory.weightBytesPerGPU)) GB per GPU with tensor parallelism \(tensorParallel)\(parallelism.pipeline > 1 ? " x pipeline \(parallelism.pipeline)" : ""), plus \(gb(memory.reserveBytesPerGPU)) GB reserve, and \(gpu.id) has \(gb(gpu.usableMemoryBytes)) GB usable",
                        valid: suggestion(gpu: gpu, gpusPerNode: gpusPerNode, longest: longest))
        }
        if serving.scheduler == .continuous, workload.input.upperBound > serving.maxBatchTokens {
            throw error("serving.max_batch_tokens",
                        "continuous batching never splits a prompt, and prompts of up to \(workload.input.upperBound) tokens exceed max_batch_tokens \(serving.maxBatchTokens)",
                        valid: ">= \(workload.input.upperBound), or serving.scheduler: chunked-prefill")
        }
        if serving.scheduler == .disaggregated {
            let perNode = group.replicasPerNode
            guard perNode >= 2, serving.prefillReplicasPerNode < perNode else {
                throw error("serving.prefill_replicas_per_node",
                            "disaggregated serving needs prefill and decode replicas on each node, and a node has \(perNode) replica\(perNode == 1 ? "" : "s")",
                            valid: perNode >= 2 ? "1 to \(perNode - 1)" : "smaller parallelism.tensor, so that a node holds at least 2 replicas")
            }
        }
        let blockTokens = serving.kvBlockTokens
        if memory.kvCapacityTokens / blockTokens * blockTokens < longest {
            throw error("precision.weights", "\(model.id) leaves room for \(memory.kvCapacityTokens) KV-cache tokens per replica on \(gpu.id) (weights \(gb(memory.weightBytesPerGPU)) GB of \(gb(gpu.usableMemoryBytes)) GB per GPU), fewer than one request of up to \(longest) tokens needs",
                        valid: suggestion(gpu: gpu, gpusPerNode: gpusPerNode, longest: longest))
        }
    }

    /// What would make the model fit - wider tensor parallelism within the node, or a narrower
    /// weight format - each checked by the same memory budget as the scenario (weights, reserve,
    /// and a KV cache that holds the longest request), so that nothing is proposed that does not fit.
    private func suggestion(gpu: GPUSpec, gpusPerNode: Int, longest: Int) -> String {
        func fits(_ precision: Precision, tensor: Int) -> Bool {
            // The scenario's attention layout at the candidate width: `attention: data` takes effect
            // once the tensor group is wider than 1, even when the scenario's own width is 1.
            let memory = MemoryBudget(model: model, gpu: gpu, precision: precision, tensorParallel: tensor, pipelineParallel: parallelism.pipeline,
                                      attentionDataParallel: parallelism.attention == .data && tensor > 1)
            return memory.weightsFit && memory.kvCapacityTokens / serving.kvBlockTokens * serving.kvBlockTokens >= longest
        }
        var options: [String] = []
        let widths = (1...gpusPerNode).filter { gpusPerNode % $0 == 0 && $0 > tensorParallel && $0 * parallelism.pipeline <= gpusPerNode }
        if let tp = widths.first(where: { fits(precision, tensor: $0) }) {
            options.append("parallelism.tensor: \(tp)")
        }
        let narrower = WeightFormat.allCases.filter { $0.bitsPerWeight < precision.weights.bitsPerWeight }
            .sorted { $0.bitsPerWeight > $1.bitsPerWeight }
        if let format = narrower.first(where: { format in
            var candidate = precision
            candidate.weights = format
            return fits(candidate, tensor: tensorParallel)
        }) {
            options.append("precision.weights: \(format.rawValue)")
        }
        options.append("a GPU with more HBM")
        return options.joined(separator: ", or ")
    }

    private func gb(_ bytes: Double) -> String { String(format: "%.1f", bytes / 1e9) }
}
