/**
 * Content-defined chunking: keyed FastCDC with normalized chunking. Depends on nothing else in kiln.
 */
package dev.kiln.core.chunk;
