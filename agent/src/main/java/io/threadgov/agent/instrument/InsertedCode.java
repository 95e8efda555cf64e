package io.threadgov.agent.instrument;

import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * A method visitor that inserts straight-line calls to the bootstrap bridge at the method's entry and
 * before each of its returns. Subclasses say what to insert; the calls themselves swallow every
 * exception (see {@code io.threadgov.bootstrap.Bridge}), so inserted code never changes control flow.
 */
public abstract class InsertedCode extends MethodVisitor {

    /** The bridge's internal name. */
    public static final String BRIDGE = "io/threadgov/bootstrap/Bridge";

    protected InsertedCode(MethodVisitor mv) {
        super(Opcodes.ASM9, mv);
    }

    @Override
    public void visitCode() {
        super.visitCode();
        atEntry();
    }

    @Override
    public void visitInsn(int opcode) {
        if (opcode >= Opcodes.IRETURN && opcode <= Opcodes.RETURN) {
            beforeReturn(opcode);
        }
        super.visitInsn(opcode);
    }

    /** Inserted at the method's first instruction (in a constructor: before the super call). */
    protected void atEntry() {
    }

    /** Inserted before each return instruction; the return value, if any, is on the stack. */
    protected void beforeReturn(int opcode) {
    }

    /** Calls a static method of the bridge. */
    protected final void bridge(String name, String descriptor) {
        super.visitMethodInsn(Opcodes.INVOKESTATIC, BRIDGE, name, descriptor, false);
    }

    /** Pushes local variable {@code slot} ({@code opcode}: ILOAD, ALOAD, ...). */
    protected final void load(int opcode, int slot) {
        super.visitVarInsn(opcode, slot);
    }

    /** Pops the top of the stack into local variable {@code slot} ({@code opcode}: ISTORE, ASTORE, ...). */
    protected final void store(int opcode, int slot) {
        super.visitVarInsn(opcode, slot);
    }

    protected final void insn(int opcode) {
        super.visitInsn(opcode);
    }
}
