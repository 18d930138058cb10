import HTTP

/// The request parser (head, framing, bodies in two reads) and the chunked decoder.
enum HTTPTargets {
    static let parser: FuzzTarget = { HTTPFuzzing.parseAll($0) }
    static let chunked: FuzzTarget = { HTTPFuzzing.chunked($0) }
}
