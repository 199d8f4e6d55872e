"""aiortc media sources whose decoded output a test can recognise at the far end: a flat picture
of a chosen size and brightness, and a 440 Hz tone."""
import array
import asyncio
import fractions
import math
import time

from aiortc import AudioStreamTrack, VideoStreamTrack
from aiortc.mediastreams import MediaStreamError
from av import AudioFrame, VideoFrame


class FlatVideoTrack(VideoStreamTrack):
    """30 fps `width`×`height` yuv420p frames whose every luma sample is `luma` (chroma neutral)."""

    def __init__(self, width: int, height: int, luma: int):
        super().__init__()
        self.width, self.height, self.luma = width, height, luma

    async def recv(self) -> VideoFrame:
        pts, time_base = await self.next_timestamp()
        frame = VideoFrame(width=self.width, height=self.height, format="yuv420p")
        for plane, value in zip(frame.planes, (self.luma, 128, 128)):
            plane.update(bytes([value]) * plane.buffer_size)
        frame.pts, frame.time_base = pts, time_base
        return frame


class ToneAudioTrack(AudioStreamTrack):
    """20 ms frames of a 440 Hz sine, 48 kHz mono, peak `AMPLITUDE`, paced in real time."""

    SAMPLE_RATE = 48000
    SAMPLES_PER_FRAME = 960
    AMPLITUDE = 10000

    def __init__(self):
        super().__init__()
        self.sent_samples = 0
        self.started = None

    async def recv(self) -> AudioFrame:
        if self.readyState != "live":
            raise MediaStreamError
        if self.started is None:
            self.started = time.monotonic()
        else:
            await asyncio.sleep(self.started + self.sent_samples / self.SAMPLE_RATE - time.monotonic())
        samples = array.array("h", (
            int(self.AMPLITUDE * math.sin(2 * math.pi * 440 * (self.sent_samples + i) / self.SAMPLE_RATE))
            for i in range(self.SAMPLES_PER_FRAME)))
        frame = AudioFrame(format="s16", layout="mono", samples=self.SAMPLES_PER_FRAME)
        frame.planes[0].update(samples.tobytes())
        frame.pts, frame.sample_rate = self.sent_samples, self.SAMPLE_RATE
        frame.time_base = fractions.Fraction(1, self.SAMPLE_RATE)
        self.sent_samples += self.SAMPLES_PER_FRAME
        return frame


def mean_luma(frame: VideoFrame) -> float:
    """The average luma sample of a decoded yuv420p frame, leaving out the plane's row padding."""
    plane = frame.planes[0]
    data = bytes(plane)
    rows = (data[row * plane.line_size: row * plane.line_size + plane.width] for row in range(plane.height))
    return sum(sum(row) for row in rows) / (plane.width * plane.height)


def rms(frame: AudioFrame) -> float:
    """Root mean square of a decoded packed 16-bit frame's samples."""
    samples = array.array("h", bytes(frame.planes[0]))[:frame.samples * len(frame.layout.channels)]
    return math.sqrt(sum(sample * sample for sample in samples) / len(samples))
