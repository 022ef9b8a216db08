package io.tinyforge.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.apache.maven.plugin.MojoExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TinyforgeHomeTest {
    private final Path root = ReactorRepository.repoRoot();
    private String savedProperty;

    @BeforeEach
    void clearProperty() {
        savedProperty = System.getProperty(TinyforgeHome.PROPERTY);
        System.clearProperty(TinyforgeHome.PROPERTY);
    }

    @AfterEach
    void restoreProperty() {
        if (savedProperty != null) {
            System.setProperty(TinyforgeHome.PROPERTY, savedProperty);
        }
    }

    @Test
    void configuredValueWinsOverTheEnvironment() throws Exception {
        assertEquals(root, TinyforgeHome.resolve(root.toString(), Map.of("TINYFORGE_HOME", "/nowhere")));
    }

    @Test
    void systemPropertyComesBeforeTheEnvironment() throws Exception {
        System.setProperty(TinyforgeHome.PROPERTY, root.toString());
        assertEquals(root, TinyforgeHome.resolve(null, Map.of("TINYFORGE_HOME", "/nowhere")));
    }

    @Test
    void environmentIsTheLastResort() throws Exception {
        assertEquals(root, TinyforgeHome.resolve(" ", Map.of("TINYFORGE_HOME", root.resolve("boards/..").toString())));
    }

    @Test
    void nothingSetSaysWhatToSet() {
        MojoExecutionException e = assertThrows(MojoExecutionException.class, () -> TinyforgeHome.resolve(null, Map.of()));
        assertTrue(e.getMessage().startsWith("the tinyforge installation is not set: set <tinyforgeHome>"), e.getMessage());
    }

    @Test
    void folderWithoutBoardsIsRejectedByName() {
        Path boards = root.resolve("boards");
        MojoExecutionException e = assertThrows(MojoExecutionException.class,
                () -> TinyforgeHome.resolve(null, Map.of("TINYFORGE_HOME", boards.toString())));
        assertEquals("TINYFORGE_HOME = " + boards + " is not a tinyforge installation (it has no boards/ folder); "
                + "point it to the tinyforge folder", e.getMessage());
    }
}
