/** One class per kiln command; each parses, calls a core engine, and prints. */
package dev.kiln.cli.command;
