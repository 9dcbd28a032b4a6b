package dev.integrations.s3.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LoadState;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.compiler.LuaC;
import org.luaj.vm2.lib.PackageLib;
import org.luaj.vm2.lib.TableLib;
import org.luaj.vm2.lib.jse.JseBaseLib;

/**
 * Runs the Argo CD health checks under {@code argocd/resource_customizations} the way Argo CD runs
 * a custom health check (util/lua/lua.go): the resource as Kubernetes serves it, turned into a Lua
 * table ({@code obj}: objects become tables with string keys, arrays tables indexed from 1, every
 * number a Lua number, null absent); only the base, package and table libraries loaded (custom
 * checks run without the standard libraries unless {@code useOpenLibs} is set, which the README
 * does not ask for); the script's returned table read as {@code {status, message}}, and a status
 * that is not one of Argo CD's becomes {@code Unknown} with Argo CD's message.
 */
public final class ArgoCdHealth {
  /** Where the scripts are, in Argo CD's own layout ({@code <group>/<Kind>/health.lua}). */
  public static final Path GROUP_DIR =
      Path.of(
          System.getProperty("project.basedir", "."),
          "argocd",
          "resource_customizations",
          "s3.integrations.dev");

  /** Argo CD's health status codes (gitops-engine pkg/health). */
  public static final Set<String> CODES =
      Set.of("Unknown", "Progressing", "Suspended", "Healthy", "Degraded", "Missing");

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /** What a health check returned. */
  public record Result(String status, String message) {
    @Override
    public String toString() {
      return status + ": " + message;
    }
  }

  private ArgoCdHealth() {}

  /** The health of a live resource, by the script of its kind. */
  public static Result of(HasMetadata resource) {
    JsonNode tree = Serialization.jsonMapper().valueToTree(resource);
    return evaluate(script(resource.getKind()), tree);
  }

  /** The health of a resource given as YAML (a test case's input), by the script of its kind. */
  public static Result ofYaml(Path file) throws IOException {
    JsonNode tree = YAML.readTree(file.toFile());
    return evaluate(script(tree.path("kind").asText()), tree);
  }

  /** The script of a kind. */
  public static String script(String kind) {
    Path file = GROUP_DIR.resolve(kind).resolve("health.lua");
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("no Argo CD health check for kind " + kind + ": " + file, e);
    }
  }

  /** Runs a script against an object, as Argo CD's ExecuteHealthLua does. */
  public static Result evaluate(String script, JsonNode object) {
    Globals globals = new Globals();
    globals.load(new JseBaseLib());
    globals.load(new PackageLib());
    globals.load(new TableLib());
    LoadState.install(globals);
    LuaC.install(globals);
    globals.set("obj", toLua(object));
    Varargs returned = globals.load(script, "health.lua").invoke();
    LuaValue hs = returned.arg1();
    if (!hs.istable()) {
      throw new IllegalStateException("expect table output from Lua script, not " + hs.typename());
    }
    LuaValue status = hs.get("status");
    LuaValue message = hs.get("message");
    if (!message.isnil() && message.type() != LuaValue.TSTRING) {
      throw new IllegalStateException("hs.message is a " + message.typename() + ", not a string");
    }
    String code = status.type() == LuaValue.TSTRING ? status.tojstring() : "";
    if (!CODES.contains(code)) {
      return new Result("Unknown", "Lua returned an invalid health status");
    }
    return new Result(code, message.isnil() ? "" : message.tojstring());
  }

  /** Argo CD's decodeValue: JSON as Kubernetes serves it, to Lua values. */
  static LuaValue toLua(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return LuaValue.NIL;
    }
    if (node.isObject()) {
      LuaTable table = new LuaTable();
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        LuaValue v = toLua(e.getValue());
        if (!v.isnil()) {
          table.set(e.getKey(), v);
        }
      }
      return table;
    }
    if (node.isArray()) {
      LuaTable table = new LuaTable();
      int i = 1;
      for (JsonNode item : node) {
        table.set(i++, toLua(item));
      }
      return table;
    }
    if (node.isBoolean()) {
      return LuaValue.valueOf(node.booleanValue());
    }
    if (node.isNumber()) {
      return LuaValue.valueOf(node.doubleValue()); // gopher-lua: every number is a float64
    }
    return LuaValue.valueOf(node.asText());
  }
}
