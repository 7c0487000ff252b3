/**
 * The Engine.IO v4 / Socket.IO v5 wire formats, written once for every side that speaks them: the
 * demo server ({@code demo}), the diagnosis ({@code diagnose}) and failure classification (the
 * Engine.IO error bodies the client observes). Packets, the handshake, namespace connects, error
 * bodies and codes; no I/O. Every type here is immutable and thread-safe.
 */
package io.socketiocanary.protocol;
