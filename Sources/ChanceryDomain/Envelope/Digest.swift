import Crypto

/// SHA-256 (FIPS 180-4, via swift-crypto) as lower-case hex.
public enum Digest {
    /// Hex SHA-256 of `bytes`: 64 characters.
    public static func sha256Hex(_ bytes: [UInt8]) -> String {
        let hex: [UInt8] = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for byte in SHA256.hash(data: bytes) {
            out.append(hex[Int(byte >> 4)])
            out.append(hex[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
