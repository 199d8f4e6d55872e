import Hummingbird
import HummingbirdWebSocket

/// The router of the HTTPS port: operations endpoints now; the REST API, protoo upgrade and web
/// app register on the same router. Request metrics are recorded by route and status.
public enum APIRouter {
    public static func make(operations: OperationsRoutes) -> Router<BasicWebSocketRequestContext> {
        let router = Router(context: BasicWebSocketRequestContext.self)
        router.add(middleware: MetricsMiddleware())
        router.add(middleware: JSONErrorMiddleware())
        operations.register(on: router)
        return router
    }
}
