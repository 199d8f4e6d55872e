import Hummingbird
import NIOCore

/// The OpenAPI 3.1 description of everything `APIRouter` serves with the REST API on: rooms,
/// broadcasters, the operations endpoints and this document itself. `OpenAPIDocumentTests`
/// fails when a route of the router is missing here or a documented route does not exist.
enum OpenAPIDocument {
    /// `GET /openapi.json`: the document, open without the API key so tools can discover it.
    static var response: Response {
        Response(
            status: .ok, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(string: json)))
    }

    static let json = ##"""
        {
          "openapi": "3.1.0",
          "info": {
            "title": "sfu-server REST API",
            "version": "1.0.0",
            "summary": "Rooms and mediasoup-demo compatible broadcasters (ffmpeg, GStreamer, OBS) over HTTP.",
            "description": "Paths, bodies and success answers follow mediasoup-demo's broadcaster API and 2060-io/webrtc-server's room API, so their scripts and backends work unchanged. Unlike them, failures answer a JSON body {\"error\": \"...\"} with a status that says whose mistake it is: 400 malformed input (the message names the field as body.<path>), 401 missing or wrong API key, 404 unknown room, broadcaster, transport or producer, 409 a clash with the current state, 413 body over 262144 bytes, 422 well-formed but unsupported by the router (mediasoup's messages, e.g. \"unsupported codec [mimeType:video/H265, payloadType:120]\"), 503 draining or media engine failure. Routes with a roomId create the room when it does not exist, as mediasoup-demo does, unless auto-creation is turned off (then 404)."
          },
          "security": [{"apiKey": []}],
          "tags": [
            {"name": "rooms", "description": "Rooms (2060-io/webrtc-server)"},
            {"name": "broadcasters", "description": "REST broadcasters (mediasoup-demo)"},
            {"name": "operations", "description": "Probes, metrics and discovery; never behind the API key"}
          ],
          "paths": {
            "/rooms": {
              "get": {
                "tags": ["rooms"],
                "operationId": "listRooms",
                "summary": "Open rooms with their peer counts, sorted by roomId.",
                "responses": {
                  "200": {
                    "description": "The rooms.",
                    "content": {"application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/RoomSummary"}}}}
                  },
                  "401": {"$ref": "#/components/responses/Unauthorized"}
                }
              },
              "post": {
                "tags": ["rooms"],
                "operationId": "createRoom",
                "summary": "Creates a room with a generated id (the first 8 characters of a UUID).",
                "requestBody": {"$ref": "#/components/requestBodies/CreateRoom"},
                "responses": {
                  "201": {"$ref": "#/components/responses/RoomCreated"},
                  "400": {"$ref": "#/components/responses/BadRequest"},
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "413": {"$ref": "#/components/responses/ContentTooLarge"},
                  "503": {"$ref": "#/components/responses/ServiceUnavailable"}
                }
              }
            },
            "/rooms/{roomId}": {
              "parameters": [{"$ref": "#/components/parameters/roomId"}],
              "get": {
                "tags": ["rooms"],
                "operationId": "getRoomRtpCapabilities",
                "summary": "The router's RTP capabilities; creates the room when missing (404 when auto-creation is off).",
                "responses": {
                  "200": {
                    "description": "Router RTP capabilities (mediasoup's RtpCapabilities).",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/RtpCapabilities"}}}
                  },
                  "400": {"$ref": "#/components/responses/BadRequest"},
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "404": {"$ref": "#/components/responses/NotFound"},
                  "503": {"$ref": "#/components/responses/ServiceUnavailable"}
                }
              },
              "post": {
                "tags": ["rooms"],
                "operationId": "createRoomWithId",
                "summary": "Creates the room roomId; 409 when it exists.",
                "requestBody": {"$ref": "#/components/requestBodies/CreateRoom"},
                "responses": {
                  "201": {"$ref": "#/components/responses/RoomCreated"},
                  "400": {"$ref": "#/components/responses/BadRequest"},
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "409": {"$ref": "#/components/responses/Conflict"},
                  "413": {"$ref": "#/components/responses/ContentTooLarge"},
                  "503": {"$ref": "#/components/responses/ServiceUnavailable"}
                }
              },
              "delete": {
                "tags": ["rooms"],
                "operationId": "closeRoom",
                "summary": "Closes the room and everything in it.",
                "responses": {
                  "200": {
                    "description": "Closed.",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Message"}, "example": {"message": "room closed"}}}
                  },
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "404": {"$ref": "#/components/responses/NotFound"}
                }
              }
            },
            "/rooms/health": {
              "get": {
                "tags": ["rooms"],
                "operationId": "roomsHealth",
                "summary": "2060-io's load-balancer probe; needs no API key and makes no room.",
                "security": [],
                "responses": {
                  "200": {
                    "description": "The server runs.",
                    "content": {"application/json": {"schema": {"type": "object", "properties": {"status": {"type": "string", "enum": ["ok"]}}}}}
                  }
                }
              }
            },
            "/getRoomId": {
              "get": {
                "tags": ["rooms"],
                "operationId": "getRoomId",
                "deprecated": true,
                "summary": "Creates a room with a generated id (old 2060-io clients); use POST /rooms.",
                "responses": {
                  "200": {
                    "description": "The new room; clients append their peerId to wsUrl.",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/LegacyRoomId"}}}
                  },
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "503": {"$ref": "#/components/responses/ServiceUnavailable"}
                }
              }
            },
            "/rooms/{roomId}/broadcasters": {
              "parameters": [{"$ref": "#/components/parameters/roomId"}],
              "post": {
                "tags": ["broadcasters"],
                "operationId": "createBroadcaster",
                "summary": "Joins a broadcaster; answers the other participants, with the producers it can consume when rtpCapabilities are given. Named by peerId (the TypeScript mediasoup-demo's form), it is answered as that demo does.",
                "requestBody": {
                  "required": true,
                  "content": {"application/json": {"schema": {"$ref": "#/components/schemas/BroadcasterRequest"}}}
                },
                "responses": {
                  "200": {
                    "description": "The other participants.",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/BroadcasterJoined"}}}
                  },
                  "201": {
                    "description": "Created (a request with peerId); Location names the broadcaster.",
                    "content": {"text/plain": {"schema": {"type": "string", "const": "BroadcasterPeer created"}}}
                  },
                  "400": {"$ref": "#/components/responses/BadRequest"},
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "404": {"$ref": "#/components/responses/NotFound"},
                  "409": {"$ref": "#/components/responses/Conflict"},
                  "413": {"$ref": "#/components/responses/ContentTooLarge"},
                  "503": {"$ref": "#/components/responses/ServiceUnavailable"}
                }
              }
            },
            "/rooms/{roomId}/broadcasters/{broadcasterId}": {
              "parameters": [{"$ref": "#/components/parameters/roomId"}, {"$ref": "#/components/parameters/broadcasterId"}],
              "delete": {
                "tags": ["broadcasters"],
                "operationId": "deleteBroadcaster",
                "summary": "Removes the broadcaster and closes its transports, producers and consumers; the room closes with its last participant.",
                "responses": {
                  "200": {
                    "description": "Removed.",
                    "content": {"text/plain": {"schema": {"type": "string", "const": "broadcaster deleted"}}}
                  },
                  "204": {"description": "Removed (a broadcaster created with peerId, as the TypeScript mediasoup-demo answers)."},
                  "400": {"$ref": "#/components/responses/BadRequest"},
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "404": {"$ref": "#/components/responses/NotFound"}
                }
              }
            },
            "/rooms/{roomId}/broadcasters/{broadcasterId}/transports": {
              "parameters": [{"$ref": "#/components/parameters/roomId"}, {"$ref": "#/components/parameters/broadcasterId"}],
              "post": {
                "tags": ["broadcasters"],
                "operationId": "createBroadcasterTransport",
                "summary": "Creates a plain RTP or WebRTC transport for the broadcaster. With a direction and no type (the TypeScript mediasoup-demo's form) it is a plain transport, answered as that demo does.",
                "requestBody": {
                  "required": true,
                  "content": {"application/json": {"schema": {"$ref": "#/components/schemas/TransportRequest"}}}
                },
                "responses": {
                  "200": {
                    "description": "The transport: where to send media (plain) or ICE/DTLS parameters (webrtc).",
                    "content": {"application/json": {"schema": {"oneOf": [
                      {"$ref": "#/components/schemas/PlainTransport"},
                      {"$ref": "#/components/schemas/WebRtcTransport"}
                    ]}}}
                  },
                  "201": {
                    "description": "The plain transport of a request with a direction.",
                    "content": {"application/json": {"schema": {
                      "type": "object", "required": ["transportId", "ip", "port"],
                      "properties": {
                        "transportId": {"type": "string"}, "ip": {"type": "string"},
                        "port": {"type": "integer", "minimum": 1, "maximum": 65535},
                        "rtcpPort": {"type": "integer", "minimum": 1, "maximum": 65535, "description": "Absent with rtcpMux."}
                      }
                    }}}
                  },
                  "400": {"$ref": "#/components/responses/BadRequest"},
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "404": {"$ref": "#/components/responses/NotFound"},
                  "413": {"$ref": "#/components/responses/ContentTooLarge"},
                  "503": {"$ref": "#/components/responses/ServiceUnavailable"}
                }
              }
            },
            "/rooms/{roomId}/broadcasters/{broadcasterId}/transports/{transportId}/connect": {
              "parameters": [
                {"$ref": "#/components/parameters/roomId"}, {"$ref": "#/components/parameters/broadcasterId"},
                {"$ref": "#/components/parameters/transportId"}
              ],
              "post": {
                "tags": ["broadcasters"],
                "operationId": "connectBroadcasterTransport",
                "summary": "Gives a WebRTC transport the remote DTLS parameters, or a plain transport the remote address (and SRTP key); once per transport. Not needed for a comedia plain transport without SRTP.",
                "requestBody": {
                  "required": true,
                  "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ConnectRequest"}}}
                },
                "responses": {
                  "200": {"description": "Connected; empty body."},
                  "400": {"$ref": "#/components/responses/BadRequest"},
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "404": {"$ref": "#/components/responses/NotFound"},
                  "409": {"$ref": "#/components/responses/Conflict"},
                  "413": {"$ref": "#/components/responses/ContentTooLarge"}
                }
              }
            },
            "/rooms/{roomId}/broadcasters/{broadcasterId}/transports/{transportId}/producers": {
              "parameters": [
                {"$ref": "#/components/parameters/roomId"}, {"$ref": "#/components/parameters/broadcasterId"},
                {"$ref": "#/components/parameters/transportId"}
              ],
              "post": {
                "tags": ["broadcasters"],
                "operationId": "createBroadcasterProducer",
                "summary": "Starts receiving media on the transport. Payload types are remapped, so any payload type works.",
                "requestBody": {
                  "required": true,
                  "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ProduceRequest"}}}
                },
                "responses": {
                  "200": {
                    "description": "The producer.",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CreatedProducer"}}}
                  },
                  "400": {"$ref": "#/components/responses/BadRequest"},
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "404": {"$ref": "#/components/responses/NotFound"},
                  "413": {"$ref": "#/components/responses/ContentTooLarge"},
                  "422": {"$ref": "#/components/responses/UnprocessableContent"}
                }
              }
            },
            "/rooms/{roomId}/broadcasters/{broadcasterId}/transports/{transportId}/consume": {
              "parameters": [
                {"$ref": "#/components/parameters/roomId"}, {"$ref": "#/components/parameters/broadcasterId"},
                {"$ref": "#/components/parameters/transportId"},
                {"name": "producerId", "in": "query", "required": false, "description": "The producer to consume (else body.producerId).", "schema": {"type": "string", "minLength": 1}}
              ],
              "post": {
                "tags": ["broadcasters"],
                "operationId": "createBroadcasterConsumer",
                "summary": "Consumes a producer of the room with the broadcaster's rtpCapabilities; the consumer starts unpaused. A producer named in the body instead (the TypeScript mediasoup-demo's form) may come with rtpCapabilities and paused, and is answered as that demo does.",
                "requestBody": {
                  "required": false,
                  "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ConsumeRequest"}}}
                },
                "responses": {
                  "200": {
                    "description": "The consumer.",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CreatedConsumer"}}}
                  },
                  "201": {
                    "description": "The consumer of a producer named in the body.",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CreatedBroadcasterConsumer"}}}
                  },
                  "400": {"$ref": "#/components/responses/BadRequest"},
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "404": {"$ref": "#/components/responses/NotFound"},
                  "422": {"$ref": "#/components/responses/UnprocessableContent"}
                }
              }
            },
            "/rooms/{roomId}/broadcasters/{broadcasterId}/transports/{transportId}/consume/data": {
              "parameters": [
                {"$ref": "#/components/parameters/roomId"}, {"$ref": "#/components/parameters/broadcasterId"},
                {"$ref": "#/components/parameters/transportId"}
              ],
              "post": {
                "tags": ["broadcasters"],
                "operationId": "createBroadcasterDataConsumer",
                "summary": "Consumes a data producer of the room on the broadcaster's WebRTC transport with SCTP; answers the SCTP stream it sends on.",
                "requestBody": {
                  "required": true,
                  "content": {"application/json": {"schema": {
                    "type": "object", "required": ["dataProducerId"],
                    "properties": {"dataProducerId": {"type": "string"}}
                  }}}
                },
                "responses": {
                  "200": {
                    "description": "The data consumer.",
                    "content": {"application/json": {"schema": {
                      "type": "object", "required": ["id", "streamId"],
                      "properties": {"id": {"type": "string"}, "streamId": {"type": "integer"}}
                    }}}
                  },
                  "400": {"$ref": "#/components/responses/BadRequest"},
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "404": {"$ref": "#/components/responses/NotFound"},
                  "409": {"$ref": "#/components/responses/Conflict"}
                }
              }
            },
            "/rooms/{roomId}/broadcasters/{broadcasterId}/transports/{transportId}/produce/data": {
              "parameters": [
                {"$ref": "#/components/parameters/roomId"}, {"$ref": "#/components/parameters/broadcasterId"},
                {"$ref": "#/components/parameters/transportId"}
              ],
              "post": {
                "tags": ["broadcasters"],
                "operationId": "createBroadcasterDataProducer",
                "summary": "Receives a data channel the broadcaster sends on an SCTP stream; a label other than \"bot\" is offered to every joined peer with data channels.",
                "requestBody": {
                  "required": true,
                  "content": {"application/json": {"schema": {
                    "type": "object", "required": ["sctpStreamParameters"],
                    "properties": {
                      "sctpStreamParameters": {"$ref": "#/components/schemas/SctpStreamParameters"},
                      "label": {"type": "string"}, "protocol": {"type": "string"}, "appData": {"type": "object"}
                    }
                  }}}
                },
                "responses": {
                  "200": {
                    "description": "The data producer.",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CreatedProducer"}}}
                  },
                  "400": {"$ref": "#/components/responses/BadRequest"},
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "404": {"$ref": "#/components/responses/NotFound"},
                  "409": {"$ref": "#/components/responses/Conflict"}
                }
              }
            },
            "/rooms/{roomId}/broadcasters/{broadcasterId}/join": {
              "parameters": [{"$ref": "#/components/parameters/roomId"}, {"$ref": "#/components/parameters/broadcasterId"}],
              "post": {
                "tags": ["broadcasters"],
                "operationId": "joinBroadcaster",
                "summary": "The TypeScript mediasoup-demo's join. Broadcasters take part from their creation here, so this checks the broadcaster exists.",
                "responses": {
                  "200": {"description": "Joined.", "content": {"text/plain": {"schema": {"type": "string", "const": "BroadcasterPeer joined"}}}},
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "404": {"$ref": "#/components/responses/NotFound"}
                }
              }
            },
            "/rooms/{roomId}/broadcasters/{broadcasterId}/producers": {
              "parameters": [{"$ref": "#/components/parameters/roomId"}, {"$ref": "#/components/parameters/broadcasterId"}],
              "post": {
                "tags": ["broadcasters"],
                "operationId": "createBroadcasterProducerOnTransport",
                "summary": "The TypeScript mediasoup-demo's produce: as createBroadcasterProducer, with the transport named in the body.",
                "requestBody": {
                  "required": true,
                  "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ProduceRequest"}}}
                },
                "responses": {
                  "201": {
                    "description": "The producer; Location names it.",
                    "content": {"application/json": {"schema": {
                      "type": "object", "required": ["producerId"], "properties": {"producerId": {"type": "string"}}
                    }}}
                  },
                  "400": {"$ref": "#/components/responses/BadRequest"},
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "404": {"$ref": "#/components/responses/NotFound"},
                  "413": {"$ref": "#/components/responses/ContentTooLarge"},
                  "422": {"$ref": "#/components/responses/UnprocessableContent"}
                }
              }
            },
            "/rooms/{roomId}/broadcasters/{broadcasterId}/consumers": {
              "parameters": [{"$ref": "#/components/parameters/roomId"}, {"$ref": "#/components/parameters/broadcasterId"}],
              "post": {
                "tags": ["broadcasters"],
                "operationId": "createBroadcasterConsumerOnTransport",
                "summary": "The TypeScript mediasoup-demo's consume: the transport, the producer, the pause and the RTP capabilities (else the broadcaster's) in the body.",
                "requestBody": {
                  "required": true,
                  "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ConsumeRequest"}}}
                },
                "responses": {
                  "201": {
                    "description": "The consumer; Location names it.",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CreatedBroadcasterConsumer"}}}
                  },
                  "400": {"$ref": "#/components/responses/BadRequest"},
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "404": {"$ref": "#/components/responses/NotFound"},
                  "413": {"$ref": "#/components/responses/ContentTooLarge"},
                  "422": {"$ref": "#/components/responses/UnprocessableContent"}
                }
              }
            },
            "/rooms/{roomId}/broadcasters/{broadcasterId}/consumers/{consumerId}/resume": {
              "parameters": [
                {"$ref": "#/components/parameters/roomId"}, {"$ref": "#/components/parameters/broadcasterId"},
                {"name": "consumerId", "in": "path", "required": true, "schema": {"type": "string", "minLength": 1}}
              ],
              "post": {
                "tags": ["broadcasters"],
                "operationId": "resumeBroadcasterConsumer",
                "summary": "Resumes one of the broadcaster's consumers (the TypeScript mediasoup-demo's API).",
                "responses": {
                  "200": {"description": "Resumed.", "content": {"text/plain": {"schema": {"type": "string", "const": "Consumer resumed"}}}},
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "404": {"$ref": "#/components/responses/NotFound"}
                }
              }
            },
            "/rooms/{roomId}/broadcasters/{broadcasterId}/transports/{transportId}/resume": {
              "parameters": [
                {"$ref": "#/components/parameters/roomId"}, {"$ref": "#/components/parameters/broadcasterId"},
                {"$ref": "#/components/parameters/transportId"}
              ],
              "post": {
                "tags": ["broadcasters"],
                "operationId": "resumeBroadcasterConsumerOnTransport",
                "summary": "Resumes the consumer named in the body (the form the TypeScript mediasoup-demo's ffmpeg-receiver.sh sends).",
                "requestBody": {
                  "required": true,
                  "content": {"application/json": {"schema": {
                    "type": "object", "required": ["consumerId"], "properties": {"consumerId": {"type": "string"}}
                  }}}
                },
                "responses": {
                  "200": {"description": "Resumed.", "content": {"text/plain": {"schema": {"type": "string", "const": "Consumer resumed"}}}},
                  "400": {"$ref": "#/components/responses/BadRequest"},
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "404": {"$ref": "#/components/responses/NotFound"}
                }
              }
            },
            "/rooms/{roomId}/broadcasters/{broadcasterId}/peerProducersInfos": {
              "parameters": [{"$ref": "#/components/parameters/roomId"}, {"$ref": "#/components/parameters/broadcasterId"}],
              "get": {
                "tags": ["broadcasters"],
                "operationId": "getPeerProducersInfos",
                "summary": "Every other participant's producers with the codecs a consumer of each gets (the TypeScript mediasoup-demo's API).",
                "responses": {
                  "200": {
                    "description": "The producers, by participant.",
                    "content": {"application/json": {"schema": {
                      "type": "object", "required": ["peerProducersInfos"],
                      "properties": {"peerProducersInfos": {"type": "array", "items": {"$ref": "#/components/schemas/PeerProducersInfo"}}}
                    }}}
                  },
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "404": {"$ref": "#/components/responses/NotFound"}
                }
              }
            },
            "/openapi.json": {
              "get": {
                "tags": ["operations"],
                "operationId": "getOpenAPIDocument",
                "summary": "This document.",
                "security": [],
                "responses": {
                  "200": {"description": "The OpenAPI 3.1 document.", "content": {"application/json": {"schema": {"type": "object"}}}}
                }
              }
            },
            "/healthz": {
              "get": {
                "tags": ["operations"],
                "operationId": "getHealth",
                "summary": "Liveness: the process answers.",
                "security": [],
                "responses": {
                  "200": {"description": "Alive.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Status"}, "example": {"status": "ok"}}}}
                }
              }
            },
            "/readyz": {
              "get": {
                "tags": ["operations"],
                "operationId": "getReadiness",
                "summary": "Readiness: every listener is bound and the server is not draining.",
                "security": [],
                "responses": {
                  "200": {"description": "Ready.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Status"}, "example": {"status": "ready"}}}},
                  "503": {"description": "Starting or draining.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Status"}, "example": {"status": "draining"}}}}
                }
              }
            },
            "/metrics": {
              "get": {
                "tags": ["operations"],
                "operationId": "getMetrics",
                "summary": "Prometheus metrics (404 when metrics are disabled).",
                "security": [],
                "responses": {
                  "200": {"description": "Prometheus text exposition format 0.0.4.", "content": {"text/plain; version=0.0.4; charset=utf-8": {"schema": {"type": "string"}}}},
                  "404": {"$ref": "#/components/responses/NotFound"}
                }
              }
            },
            "/config": {
              "get": {
                "tags": ["operations"],
                "operationId": "getPublicConfiguration",
                "summary": "The public part of the configuration; never secrets or TURN credentials.",
                "security": [],
                "responses": {
                  "200": {"description": "Public configuration.", "content": {"application/json": {"schema": {"type": "object"}}}}
                }
              }
            }
          },
          "components": {
            "securitySchemes": {
              "apiKey": {
                "type": "http",
                "scheme": "bearer",
                "description": "Authorization: Bearer <SFU_API_KEY>. Enforced on /rooms... (except /rooms/health) and /getRoomId only when the server is started with an API key."
              }
            },
            "parameters": {
              "roomId": {"name": "roomId", "in": "path", "required": true, "description": "1-128 characters, no control characters", "schema": {"type": "string", "minLength": 1, "maxLength": 128}},
              "broadcasterId": {"name": "broadcasterId", "in": "path", "required": true, "schema": {"type": "string", "minLength": 1}},
              "transportId": {"name": "transportId", "in": "path", "required": true, "schema": {"type": "string", "minLength": 1}}
            },
            "requestBodies": {
              "CreateRoom": {
                "required": false,
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CreateRoomRequest"}}}
              }
            },
            "responses": {
              "RoomCreated": {
                "description": "The room and where its protoo peers connect.",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CreatedRoom"}}}
              },
              "BadRequest": {
                "description": "Malformed input; the message names the field, e.g. \"missing body.id\".",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
              },
              "Unauthorized": {
                "description": "Missing or wrong API key.",
                "headers": {"WWW-Authenticate": {"schema": {"type": "string", "const": "Bearer"}}},
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
              },
              "NotFound": {
                "description": "Unknown room, broadcaster, transport or producer.",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
              },
              "Conflict": {
                "description": "Clashes with the current state: existing room or broadcaster id, full room, transport already connected.",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
              },
              "ContentTooLarge": {
                "description": "Request body over 262144 bytes.",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
              },
              "UnprocessableContent": {
                "description": "Well-formed but unsupported by the router, e.g. \"unsupported codec [mimeType:video/H265, payloadType:120]\".",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
              },
              "ServiceUnavailable": {
                "description": "The server is draining (no new rooms) or the media engine failed.",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
              }
            },
            "schemas": {
              "Error": {
                "type": "object",
                "required": ["error"],
                "properties": {"error": {"type": "string", "description": "What went wrong, in words a client can act on."}}
              },
              "Message": {"type": "object", "required": ["message"], "properties": {"message": {"type": "string"}}},
              "Status": {"type": "object", "required": ["status"], "properties": {"status": {"type": "string", "enum": ["ok", "ready", "starting", "draining"]}}},
              "CreateRoomRequest": {
                "type": "object",
                "properties": {
                  "eventNotificationUri": {"type": "string", "format": "uri", "description": "http(s) URL that receives the room's event webhooks."},
                  "maxPeerCount": {"type": "integer", "minimum": 1, "description": "Limit on peers plus broadcasters."},
                  "usePipeTransports": {"type": "boolean", "description": "A second router on another worker for peers' receiving transports, fed by pipe transports."}
                }
              },
              "CreatedRoom": {
                "type": "object",
                "required": ["roomId", "wsUrl", "protocol"],
                "properties": {
                  "roomId": {"type": "string"},
                  "wsUrl": {"type": "string", "description": "protoo WebSocket URL; peers connect to wsUrl/?roomId=<roomId>&peerId=<peerId>."},
                  "protocol": {"type": "string", "const": "2060-mediasoup-v1"}
                }
              },
              "RoomSummary": {
                "type": "object",
                "required": ["roomId", "peerCount"],
                "properties": {
                  "roomId": {"type": "string"},
                  "peerCount": {"type": "integer", "minimum": 0, "description": "Peers plus broadcasters."},
                  "maxPeerCount": {"type": "integer", "minimum": 1}
                }
              },
              "LegacyRoomId": {
                "type": "object",
                "required": ["roomId", "wsUrl", "status"],
                "properties": {
                  "roomId": {"type": "string"},
                  "wsUrl": {"type": "string", "description": "<protoo URL>?roomId=<roomId>&peerId="},
                  "status": {"type": "integer", "const": 1}
                }
              },
              "DeviceInfo": {
                "type": "object",
                "description": "Kept as sent; a broadcaster's is recorded as {flag: \"broadcaster\", name, version}.",
                "properties": {"name": {"type": "string"}, "version": {"type": "string"}, "flag": {"type": "string"}}
              },
              "BroadcasterRequest": {
                "type": "object",
                "required": ["displayName", "device"],
                "properties": {
                  "id": {"type": "string", "minLength": 1, "description": "The broadcaster's id (this or peerId)."},
                  "peerId": {"type": "string", "minLength": 1, "description": "The TypeScript mediasoup-demo's name for id."},
                  "displayName": {"type": "string"},
                  "device": {"$ref": "#/components/schemas/DeviceInfo"},
                  "rtpCapabilities": {"$ref": "#/components/schemas/RtpCapabilities"}
                }
              },
              "PeerSummary": {
                "type": "object",
                "required": ["id", "displayName", "device", "producers"],
                "properties": {
                  "id": {"type": "string"},
                  "displayName": {"type": "string"},
                  "device": {"$ref": "#/components/schemas/DeviceInfo"},
                  "producers": {
                    "type": "array",
                    "description": "Empty unless the request carried rtpCapabilities; then the producers those can consume.",
                    "items": {
                      "type": "object",
                      "required": ["id", "kind"],
                      "properties": {"id": {"type": "string"}, "kind": {"$ref": "#/components/schemas/MediaKind"}}
                    }
                  }
                }
              },
              "BroadcasterJoined": {
                "type": "object",
                "required": ["peers"],
                "properties": {"peers": {"type": "array", "items": {"$ref": "#/components/schemas/PeerSummary"}}}
              },
              "MediaKind": {"type": "string", "enum": ["audio", "video"]},
              "TransportRequest": {
                "type": "object",
                "description": "type, or direction for a plain transport (the TypeScript mediasoup-demo's form).",
                "properties": {
                  "type": {"type": "string", "enum": ["plain", "webrtc"]},
                  "direction": {"type": "string", "enum": ["producer", "consumer"]},
                  "rtcpMux": {"type": "boolean", "default": false, "description": "plain: RTP and RTCP on one port."},
                  "comedia": {"type": "boolean", "default": true, "description": "plain: learn the remote address from the first packet received."},
                  "enableSrtp": {"type": "boolean", "default": false, "description": "plain: SDES-keyed SRTP."},
                  "srtpCryptoSuite": {"$ref": "#/components/schemas/SrtpCryptoSuite"},
                  "preferUdp": {"type": "boolean", "default": false, "description": "webrtc"},
                  "preferTcp": {"type": "boolean", "default": false, "description": "webrtc"},
                  "sctpCapabilities": {"$ref": "#/components/schemas/SctpCapabilities"}
                }
              },
              "PlainTransport": {
                "type": "object",
                "required": ["id", "ip", "port"],
                "properties": {
                  "id": {"type": "string"},
                  "ip": {"type": "string", "description": "Where to send RTP (the announced or listen address)."},
                  "port": {"type": "integer", "minimum": 1, "maximum": 65535},
                  "rtcpPort": {"type": "integer", "minimum": 1, "maximum": 65535, "description": "Absent with rtcpMux."},
                  "srtpParameters": {"$ref": "#/components/schemas/SrtpParameters"},
                  "sctpParameters": {"$ref": "#/components/schemas/SctpParameters", "description": "With sctpCapabilities: SCTP over the same UDP tuple."}
                }
              },
              "WebRtcTransport": {
                "type": "object",
                "required": ["id", "iceParameters", "iceCandidates", "dtlsParameters", "iceServers"],
                "properties": {
                  "id": {"type": "string"},
                  "iceParameters": {"$ref": "#/components/schemas/IceParameters"},
                  "iceCandidates": {"type": "array", "items": {"$ref": "#/components/schemas/IceCandidate"}},
                  "dtlsParameters": {"$ref": "#/components/schemas/DtlsParameters"},
                  "sctpParameters": {"$ref": "#/components/schemas/SctpParameters"},
                  "iceServers": {"type": "array", "items": {"$ref": "#/components/schemas/IceServer"}}
                }
              },
              "IceParameters": {
                "type": "object",
                "required": ["usernameFragment", "password", "iceLite"],
                "properties": {
                  "usernameFragment": {"type": "string", "minLength": 32, "maxLength": 32},
                  "password": {"type": "string", "minLength": 32, "maxLength": 32},
                  "iceLite": {"type": "boolean", "const": true}
                }
              },
              "IceCandidate": {
                "type": "object",
                "required": ["foundation", "priority", "ip", "address", "protocol", "port", "type"],
                "properties": {
                  "foundation": {"type": "string", "enum": ["udpcandidate", "tcpcandidate"]},
                  "priority": {"type": "integer", "minimum": 0},
                  "ip": {"type": "string", "deprecated": true, "description": "Same as address."},
                  "address": {"type": "string"},
                  "protocol": {"type": "string", "enum": ["udp", "tcp"]},
                  "port": {"type": "integer", "minimum": 1, "maximum": 65535},
                  "type": {"type": "string", "const": "host"},
                  "tcpType": {"type": "string", "const": "passive", "description": "Present on TCP candidates only."}
                }
              },
              "DtlsParameters": {
                "type": "object",
                "required": ["fingerprints"],
                "properties": {
                  "role": {"type": "string", "enum": ["auto", "client", "server"]},
                  "fingerprints": {"type": "array", "minItems": 1, "items": {"$ref": "#/components/schemas/DtlsFingerprint"}}
                }
              },
              "DtlsFingerprint": {
                "type": "object",
                "required": ["algorithm", "value"],
                "properties": {
                  "algorithm": {"type": "string", "enum": ["sha-1", "sha-224", "sha-256", "sha-384", "sha-512"]},
                  "value": {"type": "string", "description": "Uppercase hex pairs separated by colons."}
                }
              },
              "SrtpCryptoSuite": {
                "type": "string",
                "enum": ["AEAD_AES_256_GCM", "AEAD_AES_128_GCM", "AES_CM_128_HMAC_SHA1_80", "AES_CM_128_HMAC_SHA1_32"],
                "default": "AES_CM_128_HMAC_SHA1_80"
              },
              "SrtpParameters": {
                "type": "object",
                "required": ["cryptoSuite", "keyBase64"],
                "properties": {
                  "cryptoSuite": {"$ref": "#/components/schemas/SrtpCryptoSuite"},
                  "keyBase64": {"type": "string", "description": "Master key and salt concatenated, base64."}
                }
              },
              "SctpCapabilities": {
                "type": "object",
                "required": ["numStreams"],
                "properties": {
                  "numStreams": {
                    "type": "object",
                    "required": ["OS", "MIS"],
                    "properties": {
                      "OS": {"type": "integer", "minimum": 1, "maximum": 65535},
                      "MIS": {"type": "integer", "minimum": 1, "maximum": 65535}
                    }
                  }
                }
              },
              "SctpStreamParameters": {
                "type": "object",
                "required": ["streamId"],
                "properties": {
                  "streamId": {"type": "integer", "minimum": 0, "maximum": 65534},
                  "ordered": {"type": "boolean"},
                  "maxPacketLifeTime": {"type": "integer", "minimum": 0},
                  "maxRetransmits": {"type": "integer", "minimum": 0}
                }
              },
              "SctpParameters": {
                "type": "object",
                "required": ["port", "OS", "MIS", "maxMessageSize"],
                "properties": {
                  "port": {"type": "integer"},
                  "OS": {"type": "integer"},
                  "MIS": {"type": "integer"},
                  "maxMessageSize": {"type": "integer"}
                }
              },
              "IceServer": {
                "type": "object",
                "required": ["urls"],
                "properties": {
                  "urls": {"type": "array", "items": {"type": "string"}},
                  "username": {"type": "string"},
                  "credential": {"type": "string"}
                }
              },
              "ConnectRequest": {
                "type": "object",
                "description": "dtlsParameters for a WebRTC transport; ip and port (rtcpPort without rtcpMux, srtpParameters with SRTP) for a plain one.",
                "properties": {
                  "dtlsParameters": {"$ref": "#/components/schemas/DtlsParameters"},
                  "ip": {"type": "string"},
                  "port": {"type": "integer", "minimum": 1, "maximum": 65535},
                  "rtcpPort": {"type": "integer", "minimum": 1, "maximum": 65535},
                  "srtpParameters": {"$ref": "#/components/schemas/SrtpParameters"}
                }
              },
              "ProduceRequest": {
                "type": "object",
                "required": ["kind", "rtpParameters"],
                "properties": {
                  "transportId": {"type": "string", "description": "Required on /broadcasters/{broadcasterId}/producers."},
                  "kind": {"$ref": "#/components/schemas/MediaKind"},
                  "rtpParameters": {"$ref": "#/components/schemas/RtpParameters"},
                  "paused": {"type": "boolean", "default": false},
                  "appData": {"type": "object", "description": "Kept with the producer; its source (audio, video, screensharing) is listed by peerProducersInfos."}
                }
              },
              "ConsumeRequest": {
                "type": "object",
                "properties": {
                  "transportId": {"type": "string", "description": "Required on /broadcasters/{broadcasterId}/consumers."},
                  "producerId": {"type": "string", "minLength": 1},
                  "paused": {"type": "boolean", "default": false},
                  "rtpCapabilities": {"$ref": "#/components/schemas/RtpCapabilities"}
                }
              },
              "CreatedBroadcasterConsumer": {"type": "object", "required": ["consumerId"], "properties": {"consumerId": {"type": "string"}}},
              "PeerProducersInfo": {
                "type": "object",
                "required": ["peerId", "producers"],
                "properties": {
                  "peerId": {"type": "string"},
                  "producers": {"type": "array", "items": {
                    "type": "object", "required": ["producerId", "kind", "source", "consumableCodecs"],
                    "properties": {
                      "producerId": {"type": "string"},
                      "kind": {"$ref": "#/components/schemas/MediaKind"},
                      "source": {"type": "string"},
                      "consumableCodecs": {"type": "array", "items": {
                        "type": "object", "required": ["mimeType", "payloadType", "clockRate", "parameters"],
                        "properties": {
                          "mimeType": {"type": "string"}, "payloadType": {"type": "integer"}, "clockRate": {"type": "integer"},
                          "channels": {"type": "integer"}, "parameters": {"$ref": "#/components/schemas/CodecParameters"}
                        }
                      }}
                    }
                  }}
                }
              },
              "CreatedProducer": {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}}},
              "CreatedConsumer": {
                "type": "object",
                "required": ["id", "producerId", "kind", "rtpParameters", "type"],
                "properties": {
                  "id": {"type": "string"},
                  "producerId": {"type": "string"},
                  "kind": {"$ref": "#/components/schemas/MediaKind"},
                  "rtpParameters": {"$ref": "#/components/schemas/RtpParameters"},
                  "type": {"type": "string", "enum": ["simple", "simulcast", "svc", "pipe"]}
                }
              },
              "CodecParameters": {
                "type": "object",
                "description": "Format parameters (fmtp), e.g. {\"packetization-mode\": 1, \"profile-level-id\": \"42e01f\"}.",
                "additionalProperties": {"type": ["string", "number"]}
              },
              "RtcpFeedback": {
                "type": "object",
                "required": ["type"],
                "properties": {"type": {"type": "string"}, "parameter": {"type": "string"}}
              },
              "RtpCapabilities": {
                "type": "object",
                "properties": {
                  "codecs": {"type": "array", "items": {"$ref": "#/components/schemas/RtpCodecCapability"}},
                  "headerExtensions": {"type": "array", "items": {"$ref": "#/components/schemas/RtpHeaderExtension"}}
                }
              },
              "RtpCodecCapability": {
                "type": "object",
                "required": ["mimeType", "clockRate"],
                "properties": {
                  "kind": {"$ref": "#/components/schemas/MediaKind"},
                  "mimeType": {"type": "string", "examples": ["audio/opus", "video/VP8"]},
                  "preferredPayloadType": {"type": "integer", "minimum": 0, "maximum": 127},
                  "clockRate": {"type": "integer", "minimum": 1},
                  "channels": {"type": "integer", "minimum": 1},
                  "parameters": {"$ref": "#/components/schemas/CodecParameters"},
                  "rtcpFeedback": {"type": "array", "items": {"$ref": "#/components/schemas/RtcpFeedback"}}
                }
              },
              "RtpHeaderExtension": {
                "type": "object",
                "required": ["kind", "uri", "preferredId"],
                "properties": {
                  "kind": {"$ref": "#/components/schemas/MediaKind"},
                  "uri": {"type": "string"},
                  "preferredId": {"type": "integer", "minimum": 1},
                  "preferredEncrypt": {"type": "boolean"},
                  "direction": {"type": "string", "enum": ["sendrecv", "sendonly", "recvonly", "inactive"]}
                }
              },
              "RtpParameters": {
                "type": "object",
                "required": ["codecs"],
                "properties": {
                  "mid": {"type": "string", "minLength": 1},
                  "codecs": {"type": "array", "items": {"$ref": "#/components/schemas/RtpCodecParameters"}},
                  "headerExtensions": {"type": "array", "items": {"$ref": "#/components/schemas/RtpHeaderExtensionParameters"}},
                  "encodings": {"type": "array", "items": {"$ref": "#/components/schemas/RtpEncodingParameters"}},
                  "rtcp": {"$ref": "#/components/schemas/RtcpParameters"}
                }
              },
              "RtpCodecParameters": {
                "type": "object",
                "required": ["mimeType", "payloadType", "clockRate"],
                "properties": {
                  "mimeType": {"type": "string"},
                  "payloadType": {"type": "integer", "minimum": 0, "maximum": 127},
                  "clockRate": {"type": "integer", "minimum": 1},
                  "channels": {"type": "integer", "minimum": 1},
                  "parameters": {"$ref": "#/components/schemas/CodecParameters"},
                  "rtcpFeedback": {"type": "array", "items": {"$ref": "#/components/schemas/RtcpFeedback"}}
                }
              },
              "RtpHeaderExtensionParameters": {
                "type": "object",
                "required": ["uri", "id"],
                "properties": {
                  "uri": {"type": "string"},
                  "id": {"type": "integer", "minimum": 1},
                  "encrypt": {"type": "boolean"},
                  "parameters": {"$ref": "#/components/schemas/CodecParameters"}
                }
              },
              "RtpEncodingParameters": {
                "type": "object",
                "properties": {
                  "ssrc": {"type": "integer", "minimum": 0, "maximum": 4294967295},
                  "rid": {"type": "string", "minLength": 1},
                  "codecPayloadType": {"type": "integer", "minimum": 0, "maximum": 127},
                  "rtx": {"type": "object", "required": ["ssrc"], "properties": {"ssrc": {"type": "integer", "minimum": 0, "maximum": 4294967295}}},
                  "dtx": {"type": "boolean"},
                  "scalabilityMode": {"type": "string", "examples": ["L1T3", "L3T3_KEY"]},
                  "scaleResolutionDownBy": {"type": "number", "minimum": 1},
                  "maxBitrate": {"type": "integer", "exclusiveMinimum": 0},
                  "maxFramerate": {"type": "number", "exclusiveMinimum": 0}
                }
              },
              "RtcpParameters": {
                "type": "object",
                "properties": {"cname": {"type": "string"}, "reducedSize": {"type": "boolean"}}
              }
            }
          }
        }
        """##
}
