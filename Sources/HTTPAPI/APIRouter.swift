import Hummingbird
import HummingbirdWebSocket

/// The router of the HTTPS port: operations endpoints and the REST API; the protoo upgrade and
/// web app register on the same router. Request metrics are recorded by route and status.
public enum APIRouter {
    /// `protoo` registers the protoo WebSocket upgrade (the Protoo face's
    /// `ProtooRoute.register(on:)`); it is passed in so HTTPAPI does not depend on Protoo.
    public static func make(
        operations: OperationsRoutes, rooms: RoomRoutes? = nil, apiKey: String? = nil,
        protoo: ((Router<BasicWebSocketRequestContext>) -> Void)? = nil
    ) -> Router<BasicWebSocketRequestContext> {
        let router = Router(context: BasicWebSocketRequestContext.self)
        router.add(middleware: MetricsMiddleware())
        router.add(middleware: JSONErrorMiddleware())
        if let apiKey { router.add(middleware: APIKeyMiddleware(key: apiKey)) }
        operations.register(on: router)
        rooms?.register(on: router)
        protoo?(router)
        return router
    }
}
