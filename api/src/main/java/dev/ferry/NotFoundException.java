package dev.ferry;

/** A named object, call or result that does not exist (or no longer does). */
public class NotFoundException extends FerryException {
    private static final long serialVersionUID = 1L;

    public NotFoundException(String message) {
        super(Code.NOT_FOUND, message);
    }
}
