import NIOCore
import SFU

/// mediasoup-demo's room bot: a DirectTransport with a data producer labelled `bot` that every
/// peer with data channels consumes, and that echoes the text a peer sends on its own `bot`
/// channel back to everyone as `<displayName> told me: "<text>"`.
struct RoomBot: Sendable {
    let transport: DirectTransport
    let dataProducer: DataProducer

    static let label = "bot"

    static func make(router: Router) async throws -> RoomBot {
        let transport = try await router.createDirectTransport()
        let dataProducer = try await transport.produceData(DataProducerOptions(label: label))
        return RoomBot(transport: transport, dataProducer: dataProducer)
    }

    /// Consumes a peer's `bot` data producer and answers each text message; ends when that
    /// data producer or the bot closes. `displayName` is asked for each message, so a rename
    /// shows in the next answer.
    func echo(dataProducerId: String, displayName: @escaping @Sendable () async -> String?) async throws {
        let dataConsumer = try await transport.consumeData(DataConsumerOptions(dataProducerId: dataProducerId))
        let dataProducer = self.dataProducer
        Task {
            for await message in dataConsumer.messages where message.ppid == .string || message.ppid == .emptyString {
                guard let name = await displayName() else { continue }
                let text = String(buffer: message.payload)
                try? await dataProducer.send(ByteBuffer(string: "\(name) told me: \"\(text)\""))
            }
        }
    }

    func close() async {
        await transport.close()
    }
}
