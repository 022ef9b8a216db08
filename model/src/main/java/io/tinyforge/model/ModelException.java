package io.tinyforge.model;

import io.tinyforge.TinyforgeException;

/** A model that cannot be read or is not one tinyforge compiles; the message names the model and what to do. */
public final class ModelException extends TinyforgeException {
  public ModelException(String message) {
    super(EXIT_BAD_INPUT, message);
  }
}
