package org.eclipse.jetty.client;

/**
 * Compile-time stand-in for Jetty 10 and 11's class of the same name, which Jetty 12 (the version the
 * agent compiles against) no longer has. It declares only what meshaware's advice calls; it is never
 * packaged, and at run time the application's Jetty is the one used. The instrumentations' shape
 * checks switch the advice off on a Jetty without these methods.
 */
public class HttpConversation {}
