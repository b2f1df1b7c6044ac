package dev.meshaware.benchmarks.clinic.vet;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** The list of vets. */
@Controller
class VetController {
  private final VetRepository vets;
  private final SpecialtyRepository specialties;

  VetController(VetRepository vets, SpecialtyRepository specialties) {
    this.vets = vets;
    this.specialties = specialties;
  }

  @GetMapping("/vets")
  String list(Model model) {
    model.addAttribute("vets", vets.findAllByOrderByLastNameAscFirstNameAsc());
    model.addAttribute("specialties", specialties.count());
    return "vets/list";
  }
}
