import ChanceryDomain
import Hummingbird
import HummingbirdAuth
import NIOCore

/// The request context of Chancery's routes: Hummingbird's core context plus the authenticated
/// ``Principal``, if the request carried a valid bearer token, and the client's address (the public portal's
/// per-address rate limit).
public struct ChanceryRequestContext: AuthRequestContext, RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public var identity: Principal?
    /// The connected peer (no proxy header is trusted).
    public var remoteAddress: SocketAddress?

    public init(source: Source) {
        self.coreContext = .init(source: source)
        self.identity = nil
        self.remoteAddress = source.channel.remoteAddress
    }

    /// The principal, or a 401 problem when the request carried no token.
    func requirePrincipal() throws -> Principal {
        guard let identity else {
            throw Problem(.unauthorized, code: "unauthorized", title: "Unauthorized",
                          detail: "send a bearer token: Authorization: Bearer chancery_<id>.<secret>")
        }
        return identity
    }

    /// The principal if it may read analyst endpoints; 401 without a token, 403 for an integrator.
    func requireAnalyst() throws -> Principal {
        let p = try requirePrincipal()
        guard p.mayAnalyse else {
            throw Problem(.forbidden, code: "forbidden", title: "Forbidden", detail: "token \(p.tokenID) (role \(p.role.rawValue)) may not read this; it needs analyst, auditor or admin")
        }
        return p
    }

    /// The principal if it may read the log of record (stream histories); 401 without a token, 403 unless auditor or admin.
    func requireAuditor() throws -> Principal {
        let p = try requirePrincipal()
        guard p.role == .auditor || p.role == .admin else {
            throw Problem(.forbidden, code: "forbidden", title: "Forbidden", detail: "token \(p.tokenID) (role \(p.role.rawValue)) may not read this; it needs auditor or admin")
        }
        return p
    }
}
