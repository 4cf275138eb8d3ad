package io.eltcdc.staging;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.plugin.DefaultPluginManager;
import org.apache.flink.core.plugin.DirectoryBasedPluginFinder;
import org.apache.flink.core.plugin.PluginConfig;

/**
 * Initializes Flink's file systems for a process that runs the job in a local mini-cluster, which
 * (unlike a cluster's JobManager and TaskManagers) does not load file system plugins by itself.
 *
 * <p>flink-s3-fs-hadoop must be a plugin, in a class loader of its own: on the application class
 * path its unrelocated Guava and Jackson break other libraries. The job jar carries it as a nested
 * jar under {@value #PLUGINS_RESOURCE}; it is copied to a plugins folder and loaded from there.
 */
public final class StagingFileSystems {
    static final String PLUGINS_RESOURCE = "elt-cdc-plugins";
    private static final String S3_PLUGIN = "s3-fs-hadoop/flink-s3-fs-hadoop.jar";

    private StagingFileSystems() {}

    /**
     * Initializes the file systems with {@code conf} (which carries the {@code s3.*} keys) and,
     * when the bundled S3 plugin is on the class path, with it as a plugin.
     *
     * @return true if the S3 plugin was found and loaded
     */
    public static boolean initialize(Configuration conf) {
        Path pluginsRoot = extractBundledPlugins();
        if (pluginsRoot == null) {
            FileSystem.initialize(conf, null);
            return false;
        }
        try {
            var plugins = new DirectoryBasedPluginFinder(pluginsRoot).findPlugins();
            String[] parentFirst = PluginConfig.fromConfiguration(conf).getAlwaysParentFirstPatterns();
            FileSystem.initialize(conf, new DefaultPluginManager(plugins, parentFirst));
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load the file system plugins in " + pluginsRoot, e);
        }
    }

    /** Copies the bundled plugin jar to a per-user folder, once per plugin size; null when absent. */
    private static Path extractBundledPlugins() {
        ClassLoader loader = StagingFileSystems.class.getClassLoader();
        var url = loader.getResource(PLUGINS_RESOURCE + "/" + S3_PLUGIN);
        if (url == null) {
            return null;
        }
        try {
            long size = url.openConnection().getContentLengthLong();
            Path root = Path.of(
                    System.getProperty("java.io.tmpdir"),
                    "elt-cdc-plugins-" + System.getProperty("user.name") + "-" + size);
            Path target = root.resolve(S3_PLUGIN);
            if (!Files.exists(target) || Files.size(target) != size) {
                Files.createDirectories(target.getParent());
                Path partial = Files.createTempFile(target.getParent(), "plugin", ".part");
                try (InputStream in = url.openStream()) {
                    Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
                }
                Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract the bundled S3 file system plugin", e);
        }
    }
}
