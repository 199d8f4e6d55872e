import NIOCore
import SFU

/// mediasoup-demo's room bot: a DirectTransport with a data producer labelled `bot` that every
/// peer with data channels consumes, and that echoes the text a peer sends on its own `bot`
/// channel back to everyone as `<displayName> told me: "<text>"`.
struct RoomBot: Sendable {
    let transport: DirectTransport
    let dataProducer: DataProducer

    static let label = "bot"
    /// The demo's: a longer text sent to the bot is dropped.
    static let maxMessageSize = 512

    static func make(router: Router) async throws -> RoomBot {
        let transport = try await router.createDirectTransport(DirectTransportOptions(maxMessageSize: maxMessageSize))
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
            // Text only, as the demo (PPID 51): an empty string (PPID 56) is not answered either.
            for await message in dataConsumer.messages where message.ppid == .string {
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
