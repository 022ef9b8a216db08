package io.tinyforge.verify;

import io.tinyforge.sim.Simulator;
import io.tinyforge.sim.Trace;
import java.util.ArrayList;
import java.util.List;

/** mcu-sim's {@link Simulator} as the reference. */
public final class SimulatorReference implements Reference {
  private final Simulator sim;

  public SimulatorReference(Simulator sim) {
    this.sim = sim;
  }

  @Override
  public byte[][] run(byte[][] inputs) {
    return sim.run(inputs);
  }

  @Override
  public boolean stateful() {
    return sim.isStateful();
  }

  @Override
  public void reset() {
    sim.reset();
  }

  @Override
  public java.util.Map<Integer, byte[]> state() {
    return sim.state();
  }

  @Override
  public List<OpOutput> trace(byte[][] inputs) {
    Trace t = sim.runTraced(inputs);
    List<OpOutput> out = new ArrayList<>();
    for (Trace.Step s : t.steps()) {
      int first = sim.model().operators().get(s.opIndex()).output(0);
      byte[] bytes = s.outputs().get(first);
      if (bytes != null) {
        out.add(new OpOutput(s.opIndex(), s.opName(), first, bytes));
      }
    }
    return out;
  }
}
