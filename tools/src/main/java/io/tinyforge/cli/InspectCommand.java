package io.tinyforge.cli;

import com.google.gson.GsonBuilder;
import io.tinyforge.check.ModelChecker;
import io.tinyforge.check.ModelStats;
import io.tinyforge.model.Model;
import io.tinyforge.model.Operator;
import io.tinyforge.model.Quantization;
import io.tinyforge.model.Tensor;
import io.tinyforge.tflite.TfliteReader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code gen-firmware inspect model.tflite [--json]}: per-op table and totals, then whether tinyforge compiles it.
 *
 * <p>JSON document (stable; fields are only ever added): {@code model} (path), {@code description},
 * {@code ops[]} each with {@code index, op, version, inputs[], outputs[], macs, param_bytes}, where a tensor is
 * {@code {index, name, type, shape[], constant, scale | per_channel, zero_point}}; {@code totals} with
 * {@code ops, tensors, weight_bytes, macs, largest_activation {index, name, bytes}}; {@code compiles} (boolean) and
 * {@code reason} (the refusal, when it does not compile).
 */
@Command(name = "inspect", mixinStandardHelpOptions = true,
    description = "Print a per-op table (shapes, quantization, MACs, parameter bytes) and totals.",
    footer = {"", "--json fields: model, description, ops[] {index, op, version, inputs[], outputs[], macs, param_bytes},",
        "tensors {index, name, type, shape[], constant, scale|per_channel, zero_point}, totals {ops, tensors,",
        "weight_bytes, macs, largest_activation {index, name, bytes}}, compiles, reason."})
final class InspectCommand implements Callable<Integer> {
  @Parameters(paramLabel = "MODEL", description = "The .tflite model.")
  Path model;

  @Option(names = "--json", description = "Print a stable JSON document instead of the table.")
  boolean json;

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    Model m = TfliteReader.read(model);
    ModelStats stats = ModelStats.of(m);
    String verdict = ModelChecker.verdict(m);
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().serializeSpecialFloatingPointValues()
          .create().toJson(document(m, stats, verdict)));
    } else {
      printTable(out, m, stats, verdict);
    }
    out.flush();
    return 0;
  }

  private static void printTable(PrintWriter out, Model m, ModelStats stats, String verdict) {
    out.println("model: " + m.source() + (m.description().isEmpty() ? "" : " (" + m.description() + ")"));
    out.printf("%4s  %-24s %-26s %-18s %-28s %12s %10s%n", "#", "op", "inputs", "output", "output quantization",
        "MACs", "params B");
    for (ModelStats.OpStats s : stats.ops()) {
      Operator op = s.op();
      List<String> ins = new ArrayList<>();
      for (int i : op.inputs()) {
        if (i >= 0 && !m.tensor(i).isConstant()) {
          ins.add(m.tensor(i).shape().toString());
        }
      }
      List<String> outs = new ArrayList<>();
      List<String> quants = new ArrayList<>();
      for (int o : op.outputs()) {
        outs.add(m.tensor(o).shape().toString());
        quants.add(quant(m.tensor(o)));
      }
      out.printf("%4d  %-24s %-26s %-18s %-28s %,12d %,10d%n", op.index(), op.opName(), String.join(",", ins),
          String.join(",", outs), String.join(",", quants), s.macs(), s.paramBytes());
    }
    for (int i = 0; i < m.inputs().size(); i++) {
      Tensor t = m.input(i);
      out.println("input " + i + ": " + t.label() + " " + t.type() + " " + t.shape() + " " + quant(t));
    }
    for (int i = 0; i < m.outputs().size(); i++) {
      Tensor t = m.output(i);
      out.println("output " + i + ": " + t.label() + " " + t.type() + " " + t.shape() + " " + quant(t));
    }
    Tensor big = stats.largestActivation();
    out.printf("totals: %d ops, %d tensors, %,d weight bytes, %,d MACs, largest activation %s (%,d bytes)%n",
        m.operators().size(), stats.tensorCount(), stats.weightBytes(), stats.totalMacs(),
        big == null ? "-" : big.label(), big == null ? 0 : big.byteSize());
    out.println(verdict == null ? "compiles: yes" : "compiles: no: " + verdict);
  }

  private static String quant(Tensor t) {
    Quantization q = t.quantization();
    if (q == null) {
      return t.type().isFloat() ? "float" : "-";
    }
    return q.describe();
  }

  private static Map<String, Object> document(Model m, ModelStats stats, String verdict) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("model", m.source());
    doc.put("description", m.description());
    List<Object> ops = new ArrayList<>();
    for (ModelStats.OpStats s : stats.ops()) {
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("index", s.op().index());
      o.put("op", s.op().opName());
      o.put("version", s.op().version());
      List<Object> ins = new ArrayList<>();
      for (int i : s.op().inputs()) {
        ins.add(i < 0 ? null : tensor(m.tensor(i)));
      }
      o.put("inputs", ins);
      List<Object> outs = new ArrayList<>();
      for (int i : s.op().outputs()) {
        outs.add(tensor(m.tensor(i)));
      }
      o.put("outputs", outs);
      o.put("macs", s.macs());
      o.put("param_bytes", s.paramBytes());
      ops.add(o);
    }
    doc.put("ops", ops);
    Map<String, Object> totals = new LinkedHashMap<>();
    totals.put("ops", m.operators().size());
    totals.put("tensors", stats.tensorCount());
    totals.put("weight_bytes", stats.weightBytes());
    totals.put("macs", stats.totalMacs());
    Tensor big = stats.largestActivation();
    if (big != null) {
      Map<String, Object> b = new LinkedHashMap<>();
      b.put("index", big.index());
      b.put("name", big.name());
      b.put("bytes", big.byteSize());
      totals.put("largest_activation", b);
    }
    doc.put("totals", totals);
    doc.put("compiles", verdict == null);
    if (verdict != null) {
      doc.put("reason", verdict);
    }
    return doc;
  }

  private static Map<String, Object> tensor(Tensor t) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("index", t.index());
    d.put("name", t.name());
    d.put("type", t.type().name());
    d.put("shape", t.shape().toArray());
    d.put("constant", t.isConstant());
    Quantization q = t.quantization();
    if (q != null) {
      if (q.isPerChannel()) {
        d.put("per_channel", q.channelCount());
        d.put("quantized_dimension", q.quantizedDimension());
      } else {
        d.put("scale", q.scale());
        d.put("zero_point", q.zeroPoint());
      }
    }
    return d;
  }
}
