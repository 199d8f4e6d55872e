import CUsrsctp
import Dispatch
import NIOConcurrencyHelpers

/// The process-wide usrsctp stack, run without its own threads (`usrsctp_init_nothreads`).
///
/// usrsctp has global state and calls back into us from inside its own calls, so every call
/// into it is made while holding ``lock``: the callbacks then run with the lock held and touch
/// only what the lock guards (the association table and each association's queues). What they
/// queue is delivered afterwards on the association's event loop, outside the lock, so nothing
/// re-enters usrsctp from a callback. Data channels carry little traffic next to media, so one
/// lock for all workers costs nothing measurable.
///
/// The stack's timers (retransmission, heartbeats) run from a 10 ms dispatch timer while at
/// least one association exists.
final class UsrSctp: @unchecked Sendable {
    static let shared = UsrSctp()

    /// Guards every usrsctp call and everything below.
    let lock = NIOLock()
    private var associations: [UInt: Weak] = [:]
    private var nextAddress: UInt = 1
    private var timer: (any DispatchSourceTimer)?
    private static let timerInterval = 10

    private struct Weak {
        weak var association: SctpAssociation?
    }

    private init() {
        usrsctp_init_nothreads(0, sctpOutput, nil)
        // ECN is not negotiated by browsers' SCTP stacks; checksums are computed by usrsctp.
        usrsctp_sysctl_set_sctp_ecn_enable(0)
    }

    /// Registers `association` and returns the address usrsctp identifies it by (its
    /// `sconn_addr`). Call with ``lock`` held.
    func register(_ association: SctpAssociation) -> UnsafeMutableRawPointer {
        let key = nextAddress
        nextAddress += 1
        associations[key] = Weak(association: association)
        let address = UnsafeMutableRawPointer(bitPattern: key)!
        usrsctp_register_address(address)
        if timer == nil { startTimer() }
        return address
    }

    /// Forgets an association. Call with ``lock`` held.
    func deregister(_ address: UnsafeMutableRawPointer) {
        usrsctp_deregister_address(address)
        associations[UInt(bitPattern: address)] = nil
        if associations.isEmpty {
            timer?.cancel()
            timer = nil
        }
    }

    /// The association behind a usrsctp address. Call with ``lock`` held (callbacks are).
    func association(at address: UnsafeMutableRawPointer?) -> SctpAssociation? {
        guard let address else { return nil }
        return associations[UInt(bitPattern: address)]?.association
    }

    private func startTimer() {
        let timer = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "sfu.usrsctp.timers"))
        timer.schedule(deadline: .now(), repeating: .milliseconds(Self.timerInterval))
        timer.setEventHandler { [unowned self] in
            lock.withLock { usrsctp_handle_timers(UInt32(Self.timerInterval)) }
        }
        timer.resume()
        self.timer = timer
    }
}

/// usrsctp's output: an SCTP packet for the association registered at `address`.
private func sctpOutput(
    address: UnsafeMutableRawPointer?, buffer: UnsafeMutableRawPointer?, length: Int, tos: UInt8, setDF: UInt8
) -> Int32 {
    guard let buffer, let association = UsrSctp.shared.association(at: address) else { return -1 }
    association.queueOutput(UnsafeRawBufferPointer(start: buffer, count: length))
    return 0
}
