package dev.ferry.magics;

import java.util.List;

/**
 * Service-provider interface: a module contributes magics by implementing this and naming the class in
 * {@code META-INF/services/dev.ferry.magics.MagicProvider}. {@link MagicRegistry#load(ClassLoader)} finds
 * every provider with {@link java.util.ServiceLoader}. Implementations need a public no-argument
 * constructor.
 */
public interface MagicProvider {

    /** The magics this module contributes. */
    List<Magic> magics();
}
