package org.sealgate.smtp;

import java.util.concurrent.atomic.AtomicInteger;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.util.concurrent.EventExecutorGroup;

/**
 * Backpressure between James's line framer and its SMTP handler. James 3.8.1 runs the framer on an executor group
 * and the SMTP handler on the channel's event loop, so every line of DATA crosses threads as a queued task holding
 * a slice of the pooled read buffer; with no limit on that queue, eight 50 MB mails at loopback speed queued a
 * million lines (about 930 MB of pinned buffers) and ended the node in an OutOfMemoryError before any mailet ran.
 * Here each connection counts the lines handed over and not yet handled (and the read bytes not yet framed, queued
 * for the framer's thread the same way), and stops reading from the socket (TCP then slows the sender) while more
 * than {@link #HIGH_WATER} lines or {@link #HIGH_WATER_BYTES} bytes wait, reading again below {@link #LOW_WATER}
 * and {@link #LOW_WATER_BYTES}.
 */
final class ReadBackpressure {
    static final int HIGH_WATER = 1024;
    static final int LOW_WATER = 256;
    /** Read bytes waiting for the framer's thread (before they are lines): the same rule, in bytes. */
    static final int HIGH_WATER_BYTES = 1 << 20;
    static final int LOW_WATER_BYTES = 256 << 10;
    private static final String FRAMER = "framer";
    private static final String INSTALLER = "sealgate-backpressure";

    private ReadBackpressure() {
    }

    /**
     * Called while James builds the pipeline, before it adds the framer: adds a one-shot handler that puts the
     * counters around the framer once the pipeline is complete (when the connection becomes active).
     */
    static void install(ChannelPipeline pipeline, EventExecutorGroup framerGroup) {
        pipeline.addLast(INSTALLER, new Installer(framerGroup));
    }

    /** Per connection: lines waiting for the SMTP handler, read bytes waiting for the framer. */
    static final class Lines {
        private final AtomicInteger waiting = new AtomicInteger();
        private final AtomicInteger unframed = new AtomicInteger();

        int waiting() {
            return waiting.get();
        }

        int unframed() {
            return unframed.get();
        }

        /** On the event loop only: stop reading above the high water mark, read again below the low one. */
        void steer(Channel channel) {
            int now = waiting.get();
            int bytes = unframed.get();
            boolean reading = channel.config().isAutoRead();
            if ((now > HIGH_WATER || bytes > HIGH_WATER_BYTES) && reading) {
                channel.config().setAutoRead(false);
            } else if (now < LOW_WATER && bytes < LOW_WATER_BYTES && !reading) {
                channel.config().setAutoRead(true);
            }
        }
    }

    private static final class Installer extends ChannelInboundHandlerAdapter {
        private final EventExecutorGroup framerGroup;

        Installer(EventExecutorGroup framerGroup) {
            this.framerGroup = framerGroup;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) throws Exception {
            ChannelPipeline pipeline = ctx.pipeline();
            if (pipeline.get(FRAMER) != null) {
                Lines lines = new Lines();
                pipeline.addBefore(FRAMER, "sealgate-bytes-in", new Received(lines));
                pipeline.addBefore(framerGroup, FRAMER, "sealgate-bytes-framed", new Framing(lines));
                // Same group as the framer: the pipeline pins one executor of a group per channel, so the counter
                // runs on the framer's thread and counts each line before it is queued for the event loop.
                pipeline.addAfter(framerGroup, FRAMER, "sealgate-lines-out", new Handover(lines));
                pipeline.addAfter("sealgate-lines-out", "sealgate-lines-in", new Handled(lines));
            }
            pipeline.remove(this);
            ctx.fireChannelActive();
        }
    }

    /** On the event loop, before the hop to the framer's thread: read bytes wait for the framer. */
    static final class Received extends ChannelInboundHandlerAdapter {
        private final Lines lines;

        Received(Lines lines) {
            this.lines = lines;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof ByteBuf buffer) {
                lines.unframed.addAndGet(buffer.readableBytes());
                lines.steer(ctx.channel());
            }
            ctx.fireChannelRead(msg);
        }
    }

    /** On the framer's thread, just before the framer: these bytes no longer wait. */
    static final class Framing extends ChannelInboundHandlerAdapter {
        private final Lines lines;

        Framing(Lines lines) {
            this.lines = lines;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof ByteBuf buffer) {
                lines.unframed.addAndGet(-buffer.readableBytes());
                if (!ctx.channel().config().isAutoRead()) {
                    ctx.channel().eventLoop().execute(() -> lines.steer(ctx.channel()));
                }
            }
            ctx.fireChannelRead(msg);
        }
    }

    /** On the framer's thread: one more line waits; too many, stop reading. */
    static final class Handover extends ChannelInboundHandlerAdapter {
        private final Lines lines;

        Handover(Lines lines) {
            this.lines = lines;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (lines.waiting.incrementAndGet() == HIGH_WATER + 1) {
                // Decided on the event loop, as every change of autoRead is: no race with the lines draining there.
                ctx.channel().eventLoop().execute(() -> lines.steer(ctx.channel()));
            }
            ctx.fireChannelRead(msg);
        }
    }

    /** On the event loop, around James's handlers: the line is handled; few enough waiting, read again. */
    static final class Handled extends ChannelInboundHandlerAdapter {
        private final Lines lines;

        Handled(Lines lines) {
            this.lines = lines;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                ctx.fireChannelRead(msg);
            } finally {
                lines.waiting.decrementAndGet();
                lines.steer(ctx.channel());
            }
        }
    }
}
