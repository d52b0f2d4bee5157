import CFP4

/// The host serving loop's KV cache: per layer and sequence slot, `capacity` tokens of K and of V,
/// each token `kvHeads x headDim` BF16 values, in the [token][kv head][head dim] layout the decode
/// attention kernel reads.
///
/// Slots are contiguous (a sequence keeps its slot from admission to completion), which is what the
/// simulator's `.reserve` KV policy assumes; the sizes here are far below the machine's memory, so
/// paging would change nothing the check measures.
final class HostKVCache {
    let layers: Int
    let slots: Int
    let capacity: Int
    let tokenElements: Int
    let format = IP_KV_BF16
    private let storage: UnsafeMutablePointer<UInt16>

    /// Bytes the cache holds (K and V, all layers and slots).
    var bytes: Int { layers * slots * 2 * capacity * tokenElements * 2 }

    init(layers: Int, slots: Int, capacity: Int, kvHeads: Int, headDim: Int) {
        self.layers = layers
        self.slots = slots
        self.capacity = capacity
        tokenElements = kvHeads * headDim
        let count = layers * slots * 2 * capacity * tokenElements
        storage = .allocate(capacity: count)
        storage.initialize(repeating: 0, count: count)   // touch every page before anything is timed
    }

    deinit { storage.deallocate() }

    /// The first K element of (`layer`, `slot`); V follows `capacity` tokens later.
    func keys(layer: Int, slot: Int) -> UnsafeMutablePointer<UInt16> {
        storage + ((layer * slots + slot) * 2) * capacity * tokenElements
    }

    func values(layer: Int, slot: Int) -> UnsafeMutablePointer<UInt16> {
        keys(layer: layer, slot: slot) + capacity * tokenElements
    }

    /// Stores one token's K and V (floats, `tokenElements` each) at `position` of a slot.
    func store(layer: Int, slot: Int, position: Int, key: UnsafePointer<Float>, value: UnsafePointer<Float>) {
        precondition(position < capacity, "KV slot overflow: position \(position) of \(capacity)")
        ip_kv_encode(key, tokenElements, format, 1, keys(layer: layer, slot: slot) + position * tokenElements)
        ip_kv_encode(value, tokenElements, format, 1, values(layer: layer, slot: slot) + position * tokenElements)
    }
}
