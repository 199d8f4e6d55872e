/// What `Router.pipeToRouter` made: the pipe consumer on the source router and the producer
/// re-creating it on the destination, or their data equivalents.
public struct PipeToRouterResult: Sendable {
    public var pipeConsumer: Consumer?
    public var pipeProducer: Producer?
    public var pipeDataConsumer: DataConsumer?
    public var pipeDataProducer: DataProducer?
}
