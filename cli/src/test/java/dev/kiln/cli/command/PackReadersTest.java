package dev.kiln.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How many threads check reads packs back with. */
class PackReadersTest {
    @Test
    void oneAThreadPerCoreForALocalStoreTwiceAsManyForS3() {
        assertThat(CheckCommand.packReaders("/srv/backups/repo", 2)).isEqualTo(2);
        assertThat(CheckCommand.packReaders("relative/repo", 8)).isEqualTo(8);
        assertThat(CheckCommand.packReaders("s3://bucket/prefix", 2)).isEqualTo(4);
        assertThat(CheckCommand.packReaders("s3:http://127.0.0.1:9000/bucket", 3)).isEqualTo(6);
    }
}
