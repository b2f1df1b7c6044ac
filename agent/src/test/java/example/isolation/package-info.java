/**
 * Applications for the isolation tests, run in child JVMs. They live outside {@code dev.meshaware}
 * on purpose: the agent never weaves its own packages, and an application's executors (the serial
 * executor here) must be seen as any application's are.
 */
package example.isolation;
