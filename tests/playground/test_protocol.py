"""What browsers may send, and the clear errors for everything else."""

import pytest

from playground.protocol import MAX_MESSAGE_BYTES, ProtocolError, RateLimiter, parse


def test_it_parses_an_action_with_args():
    message = parse('{"type": "action", "id": "c1", "action": "scale", "args": {"replicas": 3}}')
    assert (message.type, message.id, message.name, message.args) == (
        "action",
        "c1",
        "scale",
        {"replicas": 3},
    )


def test_it_parses_controls_pings_and_resyncs():
    assert parse('{"type": "control", "control": "pause"}').name == "pause"
    assert parse('{"type": "ping"}').type == "ping"
    assert parse('{"type": "resync"}').type == "resync"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("{not json", "not valid JSON"),
        ("[1, 2]", "expected a JSON object"),
        ('{"type": "launch-missiles"}', "unknown message type"),
        ('{"type": "action", "action": "format_disk"}', "unknown action 'format_disk'"),
        ('{"type": "action", "action": 7}', "unknown action"),
        ('{"type": "control", "control": "rewind"}', "unknown control 'rewind'"),
        ('{"type": "action", "action": "scale", "args": [1]}', "args must be an object"),
        ('{"type": "ping", "id": {"x": 1}}', "id must be"),
    ],
)
def test_it_rejects_malformed_messages_with_a_reason(text, expected):
    with pytest.raises(ProtocolError, match=expected):
        parse(text)


def test_it_keeps_the_id_of_a_rejected_action_so_the_sender_can_match_the_error():
    with pytest.raises(ProtocolError) as caught:
        parse('{"type": "action", "id": "c9", "action": "nope"}')
    assert caught.value.message_id == "c9"


def test_it_rejects_oversized_messages_before_parsing():
    text = '{"type": "ping", "pad": "' + "x" * MAX_MESSAGE_BYTES + '"}'
    with pytest.raises(ProtocolError, match="too large"):
        parse(text)


def test_the_rate_limiter_allows_a_burst_then_refills():
    now = [0.0]
    limiter = RateLimiter(rate=2, burst=3, clock=lambda: now[0])
    assert [limiter.allow() for _ in range(4)] == [True, True, True, False]
    now[0] += 0.5
    assert limiter.allow() is True
    assert limiter.allow() is False
