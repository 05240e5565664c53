package org.sealgate.gina.container;

/** A container that cannot be opened, with the reason; the message never contains plaintext or key material. */
public final class ContainerException extends Exception {
    private final ContainerFailure failure;

    public ContainerException(ContainerFailure failure, String message) {
        super(message);
        this.failure = failure;
    }

    public ContainerFailure failure() {
        return failure;
    }
}
