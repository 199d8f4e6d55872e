/// Which mediasoup-demo's protoo messages a peer speaks. The TypeScript demo (2025) carries the
/// classic (v3) demo's information in other shapes: `transportId` and `consumerId` for `id`,
/// wrapped answers (`{producerId}`, `{stats}`), `newPeer {peer}`, fire-and-forget notifications
/// for pausing and resuming.
///
/// A peer speaks the classic dialect until it creates a transport with an `appData.direction`
/// and without `producing` and `consuming`, as only the TypeScript demo does; its transports come
/// before its `join`, so everything after that (the `join` answer, consumers, notifications) is
/// in its form.
public enum ProtooDialect: Sendable {
    case classic
    case typeScript
}
