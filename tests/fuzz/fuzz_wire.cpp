// libFuzzer target for the wire decoders: whatever bytes a broker (or an attacker in its place) sends, decoding ends
// in a value or a ProtocolError, never a crash, an over-read (ASan) or a hang. The first byte picks the message and
// version, the rest is the response body. An OIDC token endpoint's answer (oauthbearer.h) is fuzzed here too: it is
// another server's bytes the app reads before it logs in.

#include "kafka/wire/groupmessages.h"
#include "kafka/wire/messages.h"
#include "kafka/wire/metadatamessages.h"
#include "kafka/wire/oauthbearer.h"
#include "kafka/wire/wirebuffer.h"

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const uint8_t selector = data[0];
    const std::string body(reinterpret_cast<const char *>(data + 1), size - 1);
    try {
        switch (selector % 10) {
        case 0:
        case 1:
        case 2:
        case 3:
            kp::wire::decodeDescribeLogDirsResponse(int16_t(selector % 4 + 1), body);
            break;
        case 4:
            kp::wire::decodeApiVersionsResponse(body);
            break;
        case 5:
            kp::wire::decodeSaslHandshakeResponse(body);
            break;
        case 6:
            kp::wire::decodeSaslAuthenticateResponse(int16_t(selector / 8 % 3), body);
            break;
        case 8:
            switch (selector / 10 % 8) {
            case 0:
                kp::wire::decodeFetchResponse(body);
                break;
            case 1:
                kp::wire::decodeOffsetFetchResponse(body);
                break;
            case 2:
                kp::wire::decodeFindCoordinatorResponse(body);
                break;
            case 3:
                kp::wire::decodeListGroupsResponse(int16_t(3 + selector / 80 % 3), body);
                break;
            case 4:
                kp::wire::decodeConsumerGroupDescribeResponse(int16_t(selector / 80 % 2), body);
                break;
            case 5:
                kp::wire::decodeListOffsetsResponse(int16_t(8 + selector / 80 % 2), body);
                break;
            case 6:
                for (int16_t v = 9; v <= 12; ++v) // the selector cannot tell four versions apart here
                    try {
                        kp::wire::decodeMetadataResponse(v, body);
                    } catch (const kp::wire::ProtocolError &) {
                    }
                break;
            default: // 7
                kp::wire::decodeDescribeConfigsResponse(4, body);
                break;
            }
            break;
        case 9:
            if (selector / 10 % 2 == 0) {
                kp::wire::summarizeRecordBatches(body);
            } else {
                try {
                    kp::wire::parseTokenResponse(body, 1764000000000);
                } catch (const std::runtime_error &) {
                }
            }
            break;
        case 7: {
            if (selector / 10 % 3 == 0) {
                kp::wire::Reader r(body);
                while (r.remaining() > 0)
                    r.skipTaggedFields();
            } else if (selector / 10 % 3 == 1) {
                kp::wire::decodeDescribeGroupsResponse(int16_t(3 + selector / 30 % 2), body);
            } else if (selector / 30 % 2 == 0) {
                kp::wire::decodeConsumerAssignment(body);
            } else {
                kp::wire::decodeOffsetFetchGroupsResponse(body);
            }
            break;
        }
        }
    } catch (const kp::wire::ProtocolError &) {
    }
    return 0;
}
