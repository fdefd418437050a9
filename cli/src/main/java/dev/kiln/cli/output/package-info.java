/** Text and JSON rendering of results. */
package dev.kiln.cli.output;
