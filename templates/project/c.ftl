<#-- Shared macros of the generated C: literals and argument descriptors (see io.tinyforge.cgen.Arg). -->
<#macro int v><#if v == -2147483648>(-2147483647 - 1)<#elseif v < -2147483648 || v gt 2147483647>${v?c}LL<#else>${v?c}</#if></#macro>
<#macro value v><#if v?is_sequence>{<#list v as x><@int x/><#sep>, </#list>}<#elseif v?is_hash><@arg v/><#else><@int v/></#if></#macro>
<#macro arg a><#switch a.kind>
<#case "tensor">TF_T${a.id?c}<#break>
<#case "tensorAt">(TF_T${a.id?c} + ${a.elements?c})<#break>
<#case "weight">${a.name}<#break>
<#case "first">(*TF_T${a.id?c})<#break>
<#case "scratch"><#if a.ctype == "void">(void *)(${a.arena} + ${a.offset?c}u)<#else>((${a.ctype} *)(void *)(${a.arena} + ${a.offset?c}u))</#if><#break>
<#case "address">&${a.name}<#break>
<#case "name">${a.name}<#break>
<#case "int"><@int a.value/><#break>
<#case "size">${a.value?c}u<#break>
<#case "float">${a.value}<#break>
<#case "null">NULL<#break>
<#default>#error unknown argument kind ${a.kind}
</#switch></#macro>
<#macro decl d><#switch d.kind>
<#case "array">
static const ${d.ctype} ${d.name}[${d.values?size?c}] = {<#list d.values as v><@int v/><#sep>, </#list>};
<#break>
<#case "sizes">
static const size_t ${d.name}[${d.values?size?c}] = {<#list d.values as v>${v?c}u<#sep>, </#list>};
<#break>
<#case "pointers">
static <#if d.constTarget>const </#if>void *const ${d.name}[${d.values?size?c}] = {<#list d.values as v><@arg v/><#sep>, </#list>};
<#break>
<#case "struct">
static const ${d.ctype} ${d.name} = {<#list d.fields as f>.${f.name} = <@value f.value/><#sep>, </#list>};
<#break>
<#case "structs">
static const ${d.ctype} ${d.name}[${d.elements?size?c}] = {
<#list d.elements as e>
  {<#list e.fields as f>.${f.name} = <@value f.value/><#sep>,
   </#list>},
</#list>
};
<#break>
<#default>
#error unknown declaration kind ${d.kind}
</#switch></#macro>
