package io.tinyforge.cgen;

import freemarker.template.Configuration;
import freemarker.template.Template;
import freemarker.template.TemplateException;
import freemarker.template.TemplateExceptionHandler;
import io.tinyforge.TinyforgeException;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/** The FreeMarker templates of one folder under {@code templates/}, rendered with fixed, locale-free settings. */
public final class Templates {
  private final Configuration cfg;

  public Templates(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new TinyforgeException(TinyforgeException.EXIT_ENVIRONMENT, "template folder " + dir
          + " is missing; run from a complete tinyforge checkout (or set TINYFORGE_HOME)");
    }
    cfg = new Configuration(Configuration.VERSION_2_3_33);
    try {
      cfg.setDirectoryForTemplateLoading(dir.toFile());
    } catch (IOException e) {
      throw new TinyforgeException(TinyforgeException.EXIT_ENVIRONMENT, "cannot read templates in " + dir);
    }
    cfg.setDefaultEncoding("UTF-8");
    cfg.setLocale(Locale.ROOT);
    cfg.setNumberFormat("computer");
    cfg.setTemplateExceptionHandler(TemplateExceptionHandler.RETHROW_HANDLER);
    cfg.setLogTemplateExceptions(false);
    cfg.setWrapUncheckedExceptions(true);
    cfg.setFallbackOnNullLoopVariable(false);
  }

  public String render(String name, Map<String, Object> data) {
    try {
      Template t = cfg.getTemplate(name);
      StringWriter w = new StringWriter(1 << 16);
      t.process(data, w);
      return w.toString();
    } catch (IOException | TemplateException e) {
      throw new IllegalStateException("template " + name + " failed: " + e.getMessage(), e);
    }
  }

  public byte[] renderBytes(String name, Map<String, Object> data) {
    return render(name, data).getBytes(StandardCharsets.UTF_8);
  }
}
