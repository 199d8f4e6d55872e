/// Two connected pipe transports between a router (`local`) and another (`remote`), made once
/// per router pair by `Router.pipeToRouter` and used in both directions.
struct PipeTransportPair: Sendable {
    let local: PipeTransport
    let remote: PipeTransport

    var reversed: PipeTransportPair { PipeTransportPair(local: remote, remote: local) }
}
