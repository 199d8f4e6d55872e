import Foundation
import HTTPAPI
import Hummingbird
import HummingbirdTesting
import XCTest

/// Keeps `/openapi.json` true to the router: every registered route documented with its
/// method, nothing documented that is not served, every reference resolvable.
final class OpenAPIDocumentTests: RoomAPITestCase {
    private static let operationKeys: Set<String> = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]

    /// The document as `GET /openapi.json` serves it.
    private func servedDocument() async throws -> [String: Any] {
        let text = try await withAPI { client in
            let response = try await client.send(.get, "/openapi.json")
            XCTAssertStatus(response, .ok)
            XCTAssertEqual(response.headers[.contentType], "application/json")
            return String(buffer: response.body)
        }
        let value = try JSONSerialization.jsonObject(with: Data(text.utf8))
        return try XCTUnwrap(value as? [String: Any], "the document is not a JSON object")
    }

    func testEveryRegisteredRouteIsDocumentedWithItsMethod() async throws {
        let router = APIRouter.make(
            operations: Self.makeOperations(),
            rooms: RoomRoutes(registry: makeRegistry(), webSocketURL: Self.webSocketURL))
        let registered = Set(router.routes.map { "\($0.method.rawValue.lowercased()) \($0.path)" })
        XCTAssertTrue(registered.contains("post /rooms/{roomId}/broadcasters/{broadcasterId}/transports/{transportId}/consume"))

        let document = try await servedDocument()
        let paths = try XCTUnwrap(document["paths"] as? [String: [String: Any]])
        let documented = Set(paths.flatMap { path, item in
            item.keys.filter(Self.operationKeys.contains).map { "\($0) \(path)" }
        })
        XCTAssertEqual(registered.subtracting(documented), [], "routes missing from the OpenAPI document")
        XCTAssertEqual(documented.subtracting(registered), [], "documented routes the router does not serve")
    }

    func testDocumentIsOpenAPI31WithResolvableReferences() async throws {
        let document = try await servedDocument()
        XCTAssertEqual(document["openapi"] as? String, "3.1.0")
        let error = try XCTUnwrap(Self.resolve("#/components/schemas/Error", in: document) as? [String: Any])
        XCTAssertEqual(error["required"] as? [String], ["error"])

        var references: [String] = []
        Self.collectReferences(in: document, into: &references)
        XCTAssertFalse(references.isEmpty)
        for reference in Set(references) {
            XCTAssertNotNil(Self.resolve(reference, in: document), "unresolvable \(reference)")
        }
    }

    func testEveryOperationHasAnIdResponsesAndItsPathParameters() async throws {
        let document = try await servedDocument()
        let paths = try XCTUnwrap(document["paths"] as? [String: [String: Any]])
        var operationIds: [String] = []
        for (path, item) in paths {
            let templated = Set(path.matches(of: /\{(\w+)\}/).map { String($0.output.1) })
            for (method, value) in item where Self.operationKeys.contains(method) {
                let operation = try XCTUnwrap(value as? [String: Any])
                operationIds.append(try XCTUnwrap(operation["operationId"] as? String, "\(method) \(path)"))
                let responses = try XCTUnwrap(operation["responses"] as? [String: Any], "\(method) \(path)")
                XCTAssertTrue(
                    responses.keys.contains { $0.hasPrefix("2") } || responses["501"] != nil,
                    "\(method) \(path) has neither a success answer nor is it marked not implemented")
                let parameters = ((item["parameters"] as? [Any]) ?? []) + ((operation["parameters"] as? [Any]) ?? [])
                let declared = Set(parameters.compactMap { parameter -> String? in
                    let object = (parameter as? [String: Any]).flatMap { object in
                        (object["$ref"] as? String).flatMap { Self.resolve($0, in: document) as? [String: Any] } ?? object
                    }
                    return object?["in"] as? String == "path" ? object?["name"] as? String : nil
                })
                XCTAssertEqual(declared, templated, "\(method) \(path) path parameters")
            }
        }
        XCTAssertEqual(operationIds.count, Set(operationIds).count, "operationIds must be unique")
    }

    func testErrorAnswersUseTheErrorSchema() async throws {
        let document = try await servedDocument()
        let responses = try XCTUnwrap((document["components"] as? [String: Any])?["responses"] as? [String: [String: Any]])
        for (name, response) in responses where name != "RoomCreated" {
            let schema = ((response["content"] as? [String: Any])?["application/json"] as? [String: Any])?["schema"]
            XCTAssertEqual((schema as? [String: Any])?["$ref"] as? String, "#/components/schemas/Error", name)
        }
    }

    private static func collectReferences(in value: Any, into references: inout [String]) {
        if let object = value as? [String: Any] {
            if let reference = object["$ref"] as? String { references.append(reference) }
            for child in object.values { collectReferences(in: child, into: &references) }
        } else if let array = value as? [Any] {
            for child in array { collectReferences(in: child, into: &references) }
        }
    }

    /// Follows a local JSON pointer (`#/a/b`); nil when any step is missing.
    private static func resolve(_ reference: String, in document: [String: Any]) -> Any? {
        guard reference.hasPrefix("#/") else { return nil }
        var current: Any? = document
        for token in reference.dropFirst(2).split(separator: "/") {
            let key = token.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            current = (current as? [String: Any])?[key]
        }
        return current
    }
}
