package io.tinyforge.maven;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.maven.plugin.MojoExecutionException;

/**
 * Finds the tinyforge installation (the folder holding {@code boards/}, {@code templates/} and {@code firmware/})
 * the way the {@code gen-firmware} launcher hands it to the CLI: the {@code tinyforge.root} property (which also
 * fills the plugin's {@code <tinyforgeHome>}), else the environment variable {@code TINYFORGE_HOME}.
 * {@code BoardRegistry.load} and {@code FirmwareBuild.forBoard} take this root explicitly.
 */
final class TinyforgeHome {
    static final String PROPERTY = "tinyforge.root";
    static final String ENVIRONMENT = "TINYFORGE_HOME";
    private static final List<String> REQUIRED_FOLDERS = List.of("boards", "firmware");

    private TinyforgeHome() {
    }

    /**
     * @param configured {@code <tinyforgeHome>} (Maven fills it from {@code -Dtinyforge.root} too), or null
     * @param environment the process environment, for {@code TINYFORGE_HOME}
     */
    static Path resolve(String configured, Map<String, String> environment) throws MojoExecutionException {
        String source;
        String value;
        if (present(configured)) {
            source = "<tinyforgeHome>";
            value = configured;
        } else if (present(System.getProperty(PROPERTY))) {
            source = "-D" + PROPERTY;
            value = System.getProperty(PROPERTY);
        } else if (present(environment.get(ENVIRONMENT))) {
            source = ENVIRONMENT;
            value = environment.get(ENVIRONMENT);
        } else {
            throw new MojoExecutionException("the tinyforge installation is not set: set <tinyforgeHome> in the plugin"
                    + " configuration, -D" + PROPERTY + "=DIR or the environment variable " + ENVIRONMENT
                    + " to the tinyforge folder (the one holding boards/ and firmware/)");
        }
        Path root = Path.of(value).toAbsolutePath().normalize();
        for (String folder : REQUIRED_FOLDERS) {
            if (!Files.isDirectory(root.resolve(folder))) {
                throw new MojoExecutionException(source + " = " + root + " is not a tinyforge installation (it has no "
                        + folder + "/ folder); point it to the tinyforge folder");
            }
        }
        return root;
    }

    private static boolean present(String value) {
        return value != null && !value.isBlank();
    }
}
