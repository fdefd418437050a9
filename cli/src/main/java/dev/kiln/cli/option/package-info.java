/** Options shared by several commands, and where the password comes from. */
package dev.kiln.cli.option;
