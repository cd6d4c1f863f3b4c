package org.sentinelplaybooks.clients.sentinel;

/** An Ip entity of a Sentinel incident: its address as Sentinel gives it, not yet checked. */
public record IpEntity(String address) {}
