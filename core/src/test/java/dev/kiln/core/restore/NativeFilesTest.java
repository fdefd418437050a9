package dev.kiln.core.restore;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NativeFilesTest {
    @TempDir
    Path dir;

    static boolean root() {
        return new com.sun.security.auth.module.UnixSystem().getUid() == 0;
    }

    /** Names resolve as the JDK's lookup service resolves them (both ask the C library, NSS included). */
    @Test
    void userAndGroupIdsOfNames() throws Exception {
        var lookup = dir.getFileSystem().getUserPrincipalLookupService();
        String me = System.getProperty("user.name");
        Path probe = Files.writeString(dir.resolve("probe"), "x");
        assertThat(NativeFiles.userId(me)).isEqualTo(OptionalInt.of((Integer) Files.getAttribute(probe, "unix:uid")));
        String group = ((java.security.Principal) Files.getAttribute(probe, "unix:group")).getName();
        assertThat(NativeFiles.groupId(group)).isEqualTo(OptionalInt.of((Integer) Files.getAttribute(probe, "unix:gid")));
        assertThat(lookup.lookupPrincipalByName(me).getName()).isEqualTo(me);
        assertThat(NativeFiles.userId("no-such-user-kiln")).isEmpty();
        assertThat(NativeFiles.groupId("no-such-group-kiln")).isEmpty();
    }

    @Test
    @org.junit.jupiter.api.condition.EnabledIf("root") // chown needs root
    void lchownSetsBothIdsOfTheLinkItself() throws Exception {
        Path target = Files.writeString(dir.resolve("target"), "x");
        Path link = Files.createSymbolicLink(dir.resolve("link"), target);
        NativeFiles.lchown(link, 4242, 4343);
        assertThat(Files.getAttribute(link, "unix:uid", LinkOption.NOFOLLOW_LINKS)).isEqualTo(4242);
        assertThat(Files.getAttribute(link, "unix:gid", LinkOption.NOFOLLOW_LINKS)).isEqualTo(4343);
        assertThat(Files.getAttribute(target, "unix:uid")).isNotEqualTo(4242);
    }
}
