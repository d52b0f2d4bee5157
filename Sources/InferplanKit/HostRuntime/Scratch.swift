import CFP4

/// The activation buffers of one forward pass, sized for the largest step and reused by every step
/// (no allocation inside a step).
final class Scratch {
    let x: UnsafeMutablePointer<Float>            // residual stream, tokens x hidden
    let normed: UnsafeMutablePointer<Float>       // tokens x hidden
    let qkv: UnsafeMutablePointer<Float>          // tokens x (q + k + v)
    let attention: UnsafeMutablePointer<Float>    // tokens x q width
    let projected: UnsafeMutablePointer<Float>    // tokens x hidden
    let gateUp: UnsafeMutablePointer<Float>       // tokens x 2 ffn
    let activated: UnsafeMutablePointer<Float>    // tokens x ffn
    let logits: UnsafeMutablePointer<Float>       // sequences x vocab
    let slots: UnsafeMutablePointer<Int32>
    let positions: UnsafeMutablePointer<Int32>
    let sequences: UnsafeMutablePointer<ip_attention_sequence>
    private var all: [UnsafeMutableRawPointer] = []

    init(tokens: Int, sequences count: Int, hidden: Int, qkvWidth: Int, queryWidth: Int, ffn: Int, vocab: Int) {
        var all: [UnsafeMutableRawPointer] = []
        func floats(_ n: Int) -> UnsafeMutablePointer<Float> {
            let p = UnsafeMutablePointer<Float>.allocate(capacity: n)
            p.initialize(repeating: 0, count: n)
            all.append(UnsafeMutableRawPointer(p))
            return p
        }
        x = floats(tokens * hidden)
        normed = floats(max(tokens, count) * hidden)
        qkv = floats(tokens * qkvWidth)
        attention = floats(tokens * queryWidth)
        projected = floats(tokens * hidden)
        gateUp = floats(tokens * 2 * ffn)
        activated = floats(tokens * ffn)
        logits = floats(count * vocab)
        slots = .allocate(capacity: tokens)
        positions = .allocate(capacity: tokens)
        sequences = .allocate(capacity: tokens)
        all += [UnsafeMutableRawPointer(slots), UnsafeMutableRawPointer(positions), UnsafeMutableRawPointer(sequences)]
        self.all = all
    }

    deinit { for pointer in all { pointer.deallocate() } }
}
