/**
 * The {@code kiln} command line: parsing, printing and exit codes, nothing else. Commands call the engines of
 * {@code dev.kiln.core} and open stores through {@link dev.kiln.stores.Stores}.
 */
package dev.kiln.cli;
