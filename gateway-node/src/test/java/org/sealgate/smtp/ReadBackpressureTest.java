package org.sealgate.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;

/**
 * The counting pair around James's line framer: reading stops while too many lines wait for the SMTP handler and
 * starts again once they are handled. A gate between the two stands in for the thread hop (the event loop's queue).
 */
class ReadBackpressureTest {

    @Test
    void readingShouldStopAboveTheHighWaterMarkAndResumeBelowTheLowOne() {
        ReadBackpressure.Lines lines = new ReadBackpressure.Lines();
        Gate queue = new Gate();
        List<Object> handled = new ArrayList<>();
        EmbeddedChannel channel = new EmbeddedChannel(new ReadBackpressure.Handover(lines), queue,
            new ReadBackpressure.Handled(lines), new Collect(handled));

        for (int i = 0; i < ReadBackpressure.HIGH_WATER; i++) {
            channel.writeInbound("line " + i);
        }
        channel.runPendingTasks();
        assertThat(channel.config().isAutoRead()).isTrue();

        channel.writeInbound("one line too many");
        channel.runPendingTasks();
        assertThat(lines.waiting()).isEqualTo(ReadBackpressure.HIGH_WATER + 1);
        assertThat(channel.config().isAutoRead()).isFalse();

        queue.pass(ReadBackpressure.HIGH_WATER + 1 - ReadBackpressure.LOW_WATER);
        assertThat(channel.config().isAutoRead()).as("still %d waiting", lines.waiting()).isFalse();
        queue.pass(1);
        assertThat(channel.config().isAutoRead()).isTrue();

        queue.pass(queue.held.size());
        assertThat(handled).hasSize(ReadBackpressure.HIGH_WATER + 1).startsWith("line 0").endsWith("one line too many");
        assertThat(lines.waiting()).isZero();
        channel.finishAndReleaseAll();
    }

    @Test
    void linesHandledAsFastAsTheyComeShouldNeverStopReading() {
        ReadBackpressure.Lines lines = new ReadBackpressure.Lines();
        List<Object> handled = new ArrayList<>();
        EmbeddedChannel channel = new EmbeddedChannel(new ReadBackpressure.Handover(lines),
            new ReadBackpressure.Handled(lines), new Collect(handled));

        for (int i = 0; i < 10 * ReadBackpressure.HIGH_WATER; i++) {
            channel.writeInbound("line " + i);
            channel.runPendingTasks();
            assertThat(channel.config().isAutoRead()).isTrue();
        }
        assertThat(handled).hasSize(10 * ReadBackpressure.HIGH_WATER);
        channel.finishAndReleaseAll();
    }

    @Test
    void readBytesWaitingForTheFramerShouldStopReadingToo() {
        ReadBackpressure.Lines lines = new ReadBackpressure.Lines();
        Gate queue = new Gate();
        List<Object> framed = new ArrayList<>();
        EmbeddedChannel channel = new EmbeddedChannel(new ReadBackpressure.Received(lines), queue,
            new ReadBackpressure.Framing(lines), new Collect(framed));

        channel.writeInbound(Unpooled.wrappedBuffer(new byte[ReadBackpressure.HIGH_WATER_BYTES]));
        assertThat(channel.config().isAutoRead()).isTrue();
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[1]));
        assertThat(channel.config().isAutoRead()).isFalse();

        queue.pass(1);
        channel.runPendingTasks();
        assertThat(lines.unframed()).isEqualTo(1);
        assertThat(channel.config().isAutoRead()).isTrue();
        queue.pass(1);
        assertThat(lines.unframed()).isZero();
        framed.forEach(ReferenceCountUtil::release);
        channel.finishAndReleaseAll();
    }

    /** Holds lines until told to pass them on, in order: the queue between the framer's thread and the event loop. */
    private static final class Gate extends ChannelInboundHandlerAdapter {
        private final List<Object> held = new ArrayList<>();
        private ChannelHandlerContext context;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            context = ctx;
            held.add(msg);
        }

        void pass(int count) {
            for (int i = 0; i < count; i++) {
                context.fireChannelRead(held.remove(0));
            }
        }
    }

    private static final class Collect extends ChannelInboundHandlerAdapter {
        private final List<Object> handled;

        Collect(List<Object> handled) {
            this.handled = handled;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            handled.add(msg);
        }
    }
}
