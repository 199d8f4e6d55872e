import Hummingbird
import HummingbirdWebSocket

/// The HTTP router of the HTTPS port: operations endpoints, the REST API and the web app's
/// files. Request metrics are recorded by route and status. WebSocket upgrades (protoo) have
/// their own router, so a plain `GET /` is the web app while an upgrade on `/` is protoo.
public enum APIRouter {
    /// `webRoot`: the directory served as static files (`/` is its `index.html`) for paths no
    /// route answers.
    public static func make(
        operations: OperationsRoutes, rooms: RoomRoutes? = nil, apiKey: String? = nil, webRoot: String? = nil
    ) -> Router<BasicWebSocketRequestContext> {
        // HEAD is answered as GET without the body, as Express does (`curl -I`, HEAD probes).
        let router = Router(context: BasicWebSocketRequestContext.self, options: .autoGenerateHeadEndpoints)
        router.add(middleware: MetricsMiddleware())
        router.add(middleware: JSONErrorMiddleware())
        if let webRoot { router.add(middleware: FileMiddleware(webRoot, searchForIndexHtml: true)) }
        if let apiKey { router.add(middleware: APIKeyMiddleware(key: apiKey)) }
        operations.register(on: router)
        rooms?.register(on: router)
        return router
    }
}
