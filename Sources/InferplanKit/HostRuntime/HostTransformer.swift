import CFP4

/// One sequence's share of a forward pass: `tokens` new tokens at positions `start...` of cache slot
/// `slot` (a whole prompt, or the one token a decode feeds back); `sample` asks for the next token
/// after the last of them.
struct ForwardSegment {
    var slot: Int
    var start: Int
    var tokens: [Int32]
    var sample: Bool
}

/// Seconds a backend has spent in each kind of work: matrix kernels, attention, and the element-wise
/// operators the simulator does not count.
struct ForwardTiming: Sendable {
    var gemm = 0.0
    var attention = 0.0
    var other = 0.0

    static func - (after: ForwardTiming, before: ForwardTiming) -> ForwardTiming {
        ForwardTiming(gemm: after.gemm - before.gemm, attention: after.attention - before.attention,
                      other: after.other - before.other)
    }
}

/// What a serving loop needs from the hardware it runs on: one forward pass over a step's segments,
/// returning the sampled tokens in segment order. The CPU implementation is `HostTransformer`; a GPU
/// backend would be another conformance, and neither the loop nor the simulator would change.
protocol ForwardBackend: AnyObject {
    /// Most tokens and sequences one pass takes (the scratch buffers' and the cache's size).
    var maxTokens: Int { get }
    var maxSequences: Int { get }
    /// Longest sequence (prompt plus output) a slot holds.
    var maxContext: Int { get }
    func forward(_ segments: [ForwardSegment]) -> [Int32]
    /// Seconds spent so far in each kind of work, for explaining a step's time.
    var timing: ForwardTiming { get }
}

/// A Llama-shaped dense transformer run on the CPU with the bundled kernels: MXFP4 weights (QKV, O,
/// gate-and-up, down and a tied LM head / embedding), a BF16 KV cache, RMSNorm without gains, rotary
/// positions and greedy sampling.
///
/// Per layer it makes exactly the calls the simulator's step-time model counts (4 GEMMs and one
/// attention call; `StepTimeModel` adds the per-call overhead for each): a prompt's positions go to
/// the decode attention kernel as one query each over the prefix before it, which is causal
/// attention. The element-wise operators (norms, rotary, SwiGLU, residual adds, embedding lookup,
/// sampling) are timed apart as `other`: the simulator does not count them.
final class HostTransformer: ForwardBackend {
    let model: ModelArchitecture
    let maxTokens: Int
    let maxSequences: Int
    let maxContext: Int
    let threads: Int
    let path: ip_kernel_path
    private(set) var timing = ForwardTiming()

    private let qkv: [MXFP4Matrix]
    private let output: [MXFP4Matrix]
    private let gateUp: [MXFP4Matrix]
    private let down: [MXFP4Matrix]
    private let lmHead: MXFP4Matrix
    private let cache: HostKVCache
    private let ropeTable: [Float]

    private let queryWidth: Int
    private let kvWidth: Int
    private let qkvWidth: Int
    private var scratch: Scratch

    /// Packed weight bytes (what a decode step streams once).
    var weightBytes: Int { (qkv + output + gateUp + down).reduce(lmHead.bytes) { $0 + $1.bytes } }

    /// The model must be dense with grouped-query attention, head_dim a multiple of 16 and every
    /// width a multiple of 32 (the MXFP4 block).
    init(model: ModelArchitecture, maxTokens: Int, maxSequences: Int, maxContext: Int, seed: UInt64,
         threads: Int, path: ip_kernel_path = IP_PATH_AUTO) {
        self.model = model
        self.maxTokens = maxTokens
        self.maxSequences = maxSequences
        self.maxContext = maxContext
        self.threads = threads
        self.path = path
        let attention = model.attention
        let queryWidth = attention.queryHeads * attention.headDim, kvWidth = attention.kvHeads * attention.headDim
        self.queryWidth = queryWidth
        self.kvWidth = kvWidth
        qkvWidth = queryWidth + 2 * kvWidth
        let random = RandomSource(seed: seed)
        let h = model.hidden
        qkv = (0..<model.layers).map { _ in MXFP4Matrix(rows: queryWidth + 2 * kvWidth, columns: h, random: random) }
        output = (0..<model.layers).map { _ in MXFP4Matrix(rows: h, columns: queryWidth, random: random) }
        gateUp = (0..<model.layers).map { _ in MXFP4Matrix(rows: 2 * model.ffn, columns: h, random: random) }
        down = (0..<model.layers).map { _ in MXFP4Matrix(rows: h, columns: model.ffn, random: random) }
        lmHead = MXFP4Matrix(rows: model.vocab, columns: h, random: random)
        cache = HostKVCache(layers: model.layers, slots: maxSequences, capacity: maxContext,
                            kvHeads: attention.kvHeads, headDim: attention.headDim)
        var table = [Float](repeating: 0, count: maxContext * attention.headDim)
        ip_rope_table(maxContext, attention.headDim, 10_000, &table)
        ropeTable = table
        scratch = Scratch(tokens: maxTokens, sequences: maxSequences, hidden: h, qkvWidth: qkvWidth,
                          queryWidth: queryWidth, ffn: model.ffn, vocab: model.vocab)
    }

    /// Why `model` cannot run here, or nil.
    static func unsupportedReason(_ model: ModelArchitecture) -> String? {
        if model.moe != nil { return "\(model.id) is a mixture of experts; the host loop runs dense models" }
        if model.attention.latent != nil || model.attention.slidingWindow != nil {
            return "\(model.id) uses latent or sliding-window attention; the host loop runs plain grouped-query attention"
        }
        if model.attention.headDim % 16 != 0 { return "head_dim \(model.attention.headDim) is not a multiple of 16" }
        if model.attention.queryHeads % model.attention.kvHeads != 0 { return "q_heads is not a multiple of kv_heads" }
        for (name, width) in [("hidden", model.hidden), ("ffn", model.ffn),
                              ("q_heads x head_dim", model.attention.queryHeads * model.attention.headDim)]
        where width % Int(IP_MXFP4_BLOCK) != 0 {
            return "\(name) = \(width) is not a multiple of the MXFP4 block (32)"
        }
        return nil
    }

    func forward(_ segments: [ForwardSegment]) -> [Int32] {
        var clock = Stopwatch()
        let t = segments.reduce(0) { $0 + $1.tokens.count }
        precondition(t > 0 && t <= maxTokens, "a step of \(t) tokens (at most \(maxTokens))")
        let h = model.hidden
        let s = scratch
        // Each row's slot and position; the embedding of its token.
        var row = 0
        for segment in segments {
            precondition(segment.start + segment.tokens.count <= maxContext, "sequence longer than its KV slot")
            for (offset, token) in segment.tokens.enumerated() {
                s.slots[row] = Int32(segment.slot)
                s.positions[row] = Int32(segment.start + offset)
                lmHead.dequantizeRow(Int(token), into: s.x + row * h)
                row += 1
            }
        }
        timing.other += clock.lap()

        for layer in 0..<model.layers {
            attentionBlock(layer: layer, rows: t, clock: &clock)
            feedForwardBlock(layer: layer, rows: t, clock: &clock)
        }

        // The sampled rows (each sampling segment's last token): final norm, LM head, argmax.
        var sampled = 0
        row = 0
        for segment in segments {
            row += segment.tokens.count
            guard segment.sample else { continue }
            ip_rmsnorm(s.x + (row - 1) * h, 1, h, 1e-5, s.normed + sampled * h, 1)
            sampled += 1
        }
        guard sampled > 0 else { return [] }
        timing.other += clock.lap()
        lmHead.multiply(s.normed, batch: sampled, into: s.logits, threads: threads, path: path)
        timing.gemm += clock.lap()
        var tokens = [Int32](repeating: 0, count: sampled)
        ip_argmax(s.logits, sampled, model.vocab, &tokens)
        timing.other += clock.lap()
        return tokens
    }

    /// Norm, QKV projection, rotary, cache write, attention, O projection, residual add.
    private func attentionBlock(layer: Int, rows t: Int, clock: inout Stopwatch) {
        let s = scratch, h = model.hidden, a = model.attention
        ip_rmsnorm(s.x, t, h, 1e-5, s.normed, Int32(threads))
        timing.other += clock.lap()
        qkv[layer].multiply(s.normed, batch: t, into: s.qkv, threads: threads, path: path)
        timing.gemm += clock.lap()
        ip_rope(s.qkv, t, qkvWidth, a.queryHeads, a.headDim, s.positions, ropeTable)
        ip_rope(s.qkv + queryWidth, t, qkvWidth, a.kvHeads, a.headDim, s.positions, ropeTable)
        for r in 0..<t {
            let rowStart = s.qkv + r * qkvWidth
            cache.store(layer: layer, slot: Int(s.slots[r]), position: Int(s.positions[r]),
                        key: rowStart + queryWidth, value: rowStart + queryWidth + kvWidth)
            let slot = Int(s.slots[r])
            s.sequences[r] = ip_attention_sequence(
                q: rowStart, k: cache.keys(layer: layer, slot: slot), v: cache.values(layer: layer, slot: slot),
                context: Int(s.positions[r]) + 1, out: s.attention + r * queryWidth)
        }
        timing.other += clock.lap()
        let status = ip_decode_attention(s.sequences, t, a.queryHeads, a.kvHeads, a.headDim, cache.format, 1,
                                         Int32(threads), path)
        precondition(status == IP_FP4_OK, "decode attention failed (status \(status.rawValue))")
        timing.attention += clock.lap()
        output[layer].multiply(s.attention, batch: t, into: s.projected, threads: threads, path: path)
        timing.gemm += clock.lap()
        ip_add(s.x, s.projected, t * h)
        timing.other += clock.lap()
    }

    /// Norm, gate-and-up projection, SwiGLU, down projection, residual add.
    private func feedForwardBlock(layer: Int, rows t: Int, clock: inout Stopwatch) {
        let s = scratch, h = model.hidden
        ip_rmsnorm(s.x, t, h, 1e-5, s.normed, Int32(threads))
        timing.other += clock.lap()
        gateUp[layer].multiply(s.normed, batch: t, into: s.gateUp, threads: threads, path: path)
        timing.gemm += clock.lap()
        ip_silu_mul(s.gateUp, t, model.ffn, s.activated, Int32(threads))
        timing.other += clock.lap()
        down[layer].multiply(s.activated, batch: t, into: s.projected, threads: threads, path: path)
        timing.gemm += clock.lap()
        ip_add(s.x, s.projected, t * h)
        timing.other += clock.lap()
    }
}
