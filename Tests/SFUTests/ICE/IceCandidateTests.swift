import Foundation
import XCTest

@testable import SFU

final class IceCandidateTests: XCTestCase {
    func testPriorityFollowsTheHostCandidateFormula() {
        // 2^24 × 64 + 2^8 × 10000 + 255: the priority mediasoup's first candidate always has.
        XCTAssertEqual(IceCandidate.priority(localPreference: 10_000), 1_076_302_079)
        XCTAssertEqual(IceCandidate.priority(localPreference: 11_000), 1_076_558_079)
        XCTAssertEqual(IceCandidate.priority(localPreference: -5), IceCandidate.priority(localPreference: 0))
    }

    func testListenInfosGetOneCandidateEachWithDecreasingPriority() {
        let candidates = IceCandidate.candidates(listenInfos: [
            IceCandidateSource(transportProtocol: .udp, ip: "0.0.0.0", announcedAddress: "198.51.100.7", port: 40000),
            IceCandidateSource(
                transportProtocol: .tcp, ip: "0.0.0.0", announcedAddress: "sfu.example.com", port: 40001),
            IceCandidateSource(transportProtocol: .udp, ip: "10.0.0.5", port: 40002),
        ])

        XCTAssertEqual(
            candidates,
            [
                IceCandidate(
                    foundation: "udpcandidate", priority: IceCandidate.priority(localPreference: 10_000),
                    address: "198.51.100.7", transportProtocol: .udp, port: 40000),
                IceCandidate(
                    foundation: "tcpcandidate", priority: IceCandidate.priority(localPreference: 9_900),
                    address: "sfu.example.com", transportProtocol: .tcp, port: 40001, tcpType: .passive),
                IceCandidate(
                    foundation: "udpcandidate", priority: IceCandidate.priority(localPreference: 9_800),
                    address: "10.0.0.5", transportProtocol: .udp, port: 40002),
            ])
    }

    private let serverListenInfos = [
        IceCandidateSource(transportProtocol: .udp, ip: "0.0.0.0", announcedAddress: "198.51.100.7", port: 44444),
        IceCandidateSource(transportProtocol: .tcp, ip: "0.0.0.0", announcedAddress: "198.51.100.7", port: 44444),
    ]

    func testWebRtcServerAddsOneThousandToThePreferredProtocol() {
        let preferUdp = IceCandidate.candidates(webRtcServerListenInfos: serverListenInfos, preferUdp: true)
        XCTAssertEqual(
            preferUdp.map(\.priority),
            [IceCandidate.priority(localPreference: 11_000), IceCandidate.priority(localPreference: 9_900)])

        let preferTcp = IceCandidate.candidates(webRtcServerListenInfos: serverListenInfos, preferTcp: true)
        XCTAssertEqual(
            preferTcp.map(\.priority),
            [IceCandidate.priority(localPreference: 10_000), IceCandidate.priority(localPreference: 10_900)])
        XCTAssertGreaterThan(preferTcp[1].priority, preferTcp[0].priority)

        let neither = IceCandidate.candidates(webRtcServerListenInfos: serverListenInfos)
        XCTAssertEqual(
            neither.map(\.priority),
            [IceCandidate.priority(localPreference: 10_000), IceCandidate.priority(localPreference: 9_900)])
    }

    func testWebRtcServerSkipsDisabledProtocolsButKeepsTheirPlaceInTheOrder() {
        let tcpOnly = IceCandidate.candidates(webRtcServerListenInfos: serverListenInfos, enableUdp: false)

        XCTAssertEqual(tcpOnly.count, 1)
        XCTAssertEqual(tcpOnly[0].transportProtocol, .tcp)
        XCTAssertEqual(tcpOnly[0].priority, IceCandidate.priority(localPreference: 9_900))
    }

    func testJsonHasMediasoupFieldsWithIpDuplicatingAddress() throws {
        let candidates = IceCandidate.candidates(webRtcServerListenInfos: serverListenInfos)
        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(candidates)) as? [[String: Any]]
        let udp = try XCTUnwrap(json?.first)
        let tcp = try XCTUnwrap(json?.last)

        XCTAssertEqual(Set(udp.keys), ["foundation", "priority", "ip", "address", "protocol", "port", "type"])
        XCTAssertEqual(udp["foundation"] as? String, "udpcandidate")
        XCTAssertEqual(udp["priority"] as? Int, 1_076_302_079)
        XCTAssertEqual(udp["ip"] as? String, "198.51.100.7")
        XCTAssertEqual(udp["address"] as? String, "198.51.100.7")
        XCTAssertEqual(udp["protocol"] as? String, "udp")
        XCTAssertEqual(udp["port"] as? Int, 44444)
        XCTAssertEqual(udp["type"] as? String, "host")
        XCTAssertEqual(tcp["tcpType"] as? String, "passive")
        XCTAssertEqual(tcp["foundation"] as? String, "tcpcandidate")
    }

    func testDecodesMediasoupJsonIncludingTheDeprecatedIpOnlyShape() throws {
        let current = Data(
            """
            {"foundation": "tcpcandidate", "priority": 1076302079, "ip": "1.2.3.4", "address": "1.2.3.4",
             "protocol": "tcp", "port": 443, "type": "host", "tcpType": "passive"}
            """.utf8)
        let legacy = Data(
            """
            {"foundation": "udpcandidate", "priority": 1076302079, "ip": "1.2.3.4", "protocol": "udp",
             "port": 40000, "type": "host"}
            """.utf8)

        let tcp = try JSONDecoder().decode(IceCandidate.self, from: current)
        let udp = try JSONDecoder().decode(IceCandidate.self, from: legacy)

        XCTAssertEqual(tcp.address, "1.2.3.4")
        XCTAssertEqual(tcp.tcpType, .passive)
        XCTAssertEqual(udp.address, "1.2.3.4")
        XCTAssertNil(udp.tcpType)
        XCTAssertEqual(try JSONDecoder().decode(IceCandidate.self, from: JSONEncoder().encode(tcp)), tcp)
    }
}
