package org.sealgate.zk.config;

/** VRRP role of a node; exactly one primary, which must also have the highest priority. Written in lower case with '-' for '_', e.g. {@code PRIMARY} as {@code primary}. */
public enum NodeRole {
    PRIMARY, SECONDARY
}
