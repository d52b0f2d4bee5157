extension VideoScenario {
    /// Builds the replicas of every node group, or says which key makes the deployment impossible.
    public func deployment() throws -> VideoDeployment {
        let perReplica = parallelism.gpusPerReplica
        if parallelism.mode == .ulysses, model.heads % parallelism.sequence != 0 {
            let divisors = (1...model.heads).filter { model.heads % $0 == 0 }.map(String.init).joined(separator: ", ")
            throw error("serving.sequence_parallel", "Ulysses sequence parallelism splits the \(model.heads) attention heads over the group, and \(parallelism.sequence) does not divide them",
                        valid: "a sequence_parallel of \(divisors), or mode: ring")
        }
        if parallelism.cfg && !workload.video.guidance {
            throw error("serving.cfg_parallel", "CFG parallelism runs the two guidance passes on two GPU groups, and this video has guidance off",
                        valid: "cfg_parallel: false, or workload.video.guidance: true")
        }
        let tokens = Double(model.tokens(workload.video))
        var replicas: [VideoDeployment.Replica] = []
        var idle = 0.0
        var memory = 0.0
        for (index, group) in groups.enumerated() {
            let gpu = group.gpu
            let key = groups.count > 1 ? "hardware.node_groups" : "hardware.gpu"
            guard gpu.efficiency.video != nil else {
                throw error(key, "\(gpu.name)'s efficiency profile (\(gpu.efficiency.id)) states no video efficiency, so its video generation cannot be costed",
                            valid: "a GPU whose profile has a video: section (see `inferplan catalog`), or add one to the profile with its provenance")
            }
            let groupKey = locations["serving.sequence_parallel"] != nil ? "serving.sequence_parallel" : key
            if perReplica > group.gpus || group.gpus % perReplica != 0 {
                throw error(groupKey, "a replica of \(perReplica) GPUs (sequence_parallel \(parallelism.sequence)\(parallelism.cfg ? " x 2 for cfg_parallel" : "")) does not divide the \(group.gpus) GPUs of \(gpu.name)",
                            valid: "a replica size that divides \(group.gpus), e.g. sequence_parallel \(max(1, group.gpusPerNode / (parallelism.cfg ? 2 : 1)))\(parallelism.cfg ? " with cfg_parallel" : "")")
            }
            let bytes = model.totalParameters * weights.bytesPerWeight + model.textEncoderParameters * 2 + model.vae.parametersB * 1e9 * 2
                + VideoDeployment.activationBytes(model: model, tokens: tokens, sequence: parallelism.sequence)
            if bytes > gpu.usableMemoryBytes {
                throw error(locations["precision.weights"] != nil ? "precision.weights" : key,
                            String(format: "each GPU would hold %.1f GB (%d experts of %.1f B parameters in %@, the text encoder, the VAE and the activations of %.0f tokens), more than %@'s %.0f GB",
                                   bytes / 1e9, model.experts, model.parametersPerExpert / 1e9, weights.rawValue, tokens / Double(parallelism.sequence),
                                   gpu.name, gpu.usableMemoryBytes / 1e9),
                            valid: "fp8 weights, more sequence parallelism, or a GPU with more memory")
            }
            memory = max(memory, bytes)
            let cost = VideoGenerationCost(model: model, video: workload.video, gpu: gpu, weights: weights, attention: attention,
                                           parallelism: parallelism, gpusPerNode: group.gpusPerNode,
                                           scaleOut: group.scaleOut ?? .rdma400)
            let activity = cost.activity
            let power = gpu.power
            let capped = power.capped(computeBound: activity.computeBound, other: activity.seconds - activity.computeBound,
                                      computeBusy: activity.computeBusy, memoryBusy: activity.memoryBusy)
            let replica = VideoDeployment.Replica(group: index, gpus: perReplica, cost: cost, secondsPerVideo: capped.seconds,
                                                  dynamicJoulesPerVideo: capped.dynamicJoules * Double(perReplica))
            replicas += Array(repeating: replica, count: group.gpus / perReplica)
            idle += power.idleWatts * Double(group.gpus)
        }
        return VideoDeployment(replicas: replicas, gpus: gpus, nodes: nodes, idleWatts: idle, memoryBytesPerGPU: memory)
    }
}
