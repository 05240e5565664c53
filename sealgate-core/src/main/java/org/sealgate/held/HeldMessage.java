package org.sealgate.held;

/** A held mail opened with the store's key: its metadata and the message exactly as it was held (RFC 5322 bytes). */
public record HeldMessage(HeldMail mail, byte[] content) {
}
