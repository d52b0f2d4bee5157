extension ReplicaState {
    /// Checks the bookkeeping in debug builds; compiled out of release builds.
    @inline(__always)
    func checkInvariants() {
        #if DEBUG
        assert(usedTokens >= 0 && usedTokens <= reservedTokens, "KV in use \(usedTokens) exceeds reservation \(reservedTokens)")
        assert(reservedTokens <= kvCapacityTokens, "KV reservation \(reservedTokens) exceeds capacity \(kvCapacityTokens)")
        assert(decodeCount == finishing.count, "decode count \(decodeCount) != finish heap \(finishing.count)")
        assert(decodeContextTokens >= 0)
        #endif
    }
}
