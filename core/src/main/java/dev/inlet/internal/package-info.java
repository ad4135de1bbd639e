/**
 * Not API: rules Inlet's own packages and modules share (names, partition values, retries), public only so that
 * {@code inlet-aws} and the other Inlet modules can use the same code. Anything here may change or go away in any
 * release; do not use it from outside Inlet.
 */
package dev.inlet.internal;
